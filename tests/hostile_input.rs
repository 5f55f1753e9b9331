//! Inputs that cost more than they are worth, and bytes from a spec or the disk
//! that try to steer a terminal or a CI log (issue 20: items 2, 3, 5 and 6). Costs
//! are asserted as bounded output and shared text, never as time.

mod support;

use ssm_profile::source::Source;
use support::{Scratch, text};

/// A JSON spec on one line: `n` profiles, each with a path IAM refuses.
fn one_line_json(n: usize) -> String {
    let profiles: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"p{i}","path":"bad"}}"#))
        .collect();
    format!(r#"{{"version":1,"profiles":[{}]}}"#, profiles.join(","))
}

/// A YAML spec of `n` profiles without the core policy: one warning each.
fn many_warnings(n: usize) -> String {
    let mut spec = String::from("version: 1\nprofiles: [");
    for i in 0..n {
        spec.push_str(&format!(
            "{{name: p{i}, managed_policies: {{core: false}}}}, "
        ));
    }
    spec.push_str("]\n");
    spec
}

// ---- 20.2 diagnostics cost what they show ------------------------------------------

#[test]
fn located_errors_and_warnings_share_the_spec_text_rather_than_copy_lines() {
    let source = Source::new("s.json", one_line_json(200));
    let errors = ssm_profile::load_all(&source).unwrap_err();
    assert_eq!(errors.len(), 200);
    for e in &errors {
        let excerpt = e.source_line.as_ref().expect("located");
        assert!(excerpt.shares(&source.text), "{e:?} holds a copy");
    }
    let source = Source::new("w.yaml", many_warnings(60));
    let model = ssm_profile::load(&source).expect("valid");
    let warnings = ssm_profile::warnings(&model, &source);
    assert_eq!(warnings.len(), 60);
    for w in &warnings {
        let excerpt = w.source_line.as_ref().expect("located");
        assert!(excerpt.shares(&source.text), "{w:?} holds a copy");
    }
}

#[test]
fn a_long_line_is_shown_around_the_column_not_whole() {
    let s = Scratch::new("long-line");
    let spec = one_line_json(3_000);
    s.write("one.json", &spec);
    let run = s.run(&["build", "one.json", "--target", "terraform"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    // 50 errors of five lines, and the count of the rest; no line longer than the
    // message and the excerpt's window.
    assert_eq!(
        stderr.matches("error: one.json:1:").count(),
        50,
        "{stderr:.2000}"
    );
    assert!(stderr.contains("2950 more errors not shown"));
    assert_eq!(stderr.lines().count(), 50 * 4 + 1);
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "a line of {longest} characters");
    // The caret is under the value the error is about, inside the window.
    let lines: Vec<&str> = stderr.lines().collect();
    let (shown, caret) = (lines[2], lines[3]);
    let at = caret.find('^').unwrap();
    assert!(shown[at..].starts_with("\"bad\""), "{shown}\n{caret}");
    let last = lines[4 * 49 + 2];
    let at = lines[4 * 49 + 3].find('^').unwrap();
    assert!(
        last.starts_with("1 | ...") && last.ends_with("..."),
        "{last}"
    );
    assert!(last[at..].starts_with("\"bad\""), "{last}");
}

#[test]
fn warnings_past_fifty_are_counted_not_printed() {
    let s = Scratch::new("many-warnings");
    s.write("w.yaml", &many_warnings(120));
    let run = s.run(&["build", "w.yaml", "--target", "terraform"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert_eq!(stderr.matches("warning: w.yaml:").count(), 50);
    assert!(
        stderr.ends_with("warning: and 70 more warnings not shown (the first 50 are)\n"),
        "{stderr:.3000}"
    );
    let run = s.run(&[
        "build",
        "w.yaml",
        "--target",
        "terraform",
        "--message-format",
        "json",
    ]);
    let lines: Vec<serde_json::Value> = text(&run.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 51);
    assert_eq!(lines[50]["code"], "more-warnings");
    // --quiet prints none; --deny-warnings counts them all.
    let run = s.run(&["-q", "build", "w.yaml", "--target", "terraform"]);
    assert!(run.stderr.is_empty());
    let run = s.run(&[
        "--deny-warnings",
        "build",
        "w.yaml",
        "--target",
        "terraform",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert_eq!(stderr.matches("warning: w.yaml:").count(), 50);
    assert!(stderr.contains("and 70 more warnings not shown"));
    assert!(stderr.contains("error: 120 warnings denied by --deny-warnings"));
}

// ---- 20.3 aliases cannot multiply a spec past the size cap ---------------------------

/// One anchored list of 1,000 buckets, named by an alias in each of `n` profiles.
fn aliased_buckets(n: usize) -> String {
    let buckets: Vec<String> = (0..1000)
        .map(|i| format!("{{name: bucket-{i:04}}}"))
        .collect();
    let mut spec = format!(
        "version: 1\nprofiles:\n  - {{name: p0, s3: {{buckets: &b [{}]}}}}\n",
        buckets.join(", ")
    );
    for i in 1..n {
        spec.push_str(&format!("  - {{name: p{i}, s3: {{buckets: *b}}}}\n"));
    }
    spec
}

#[test]
fn aliases_that_expand_past_the_size_cap_are_refused_at_the_alias() {
    let s = Scratch::new("aliases");
    // 68 KB, standing for 27 MB of spec; it took 25 s and wrote 57 MB of Terraform.
    s.write("fleet.yaml", &aliased_buckets(1_300));
    let run = s.run(&["build", "fleet.yaml", "--out-dir", "out"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    assert!(!s.path("out").exists());
    let stderr = text(&run.stderr);
    let first = stderr.lines().next().unwrap();
    let rest = first.strip_prefix("error: fleet.yaml:").expect(first);
    let (line, rest) = rest.split_once(':').unwrap();
    let (column, rest) = rest.split_once(':').unwrap();
    let line: usize = line.parse().unwrap();
    let profile = line - 3;
    assert_eq!(column, "31", "{first}");
    assert_eq!(
        rest,
        format!(
            " profiles[{profile}].s3.buckets: aliases (`*name`) expand this spec past 1048576 bytes (1 MiB), the most ssm-profile reads: written out, it would be larger than a spec may be; repeat less, or split the spec into several files"
        )
    );
    // It is the alias that crosses the cap: the file's length, plus the anchored
    // list's text for each alias so far, passes 1 MiB at this one and not before.
    let spec = aliased_buckets(1_300);
    let list = &spec[spec.find("&b [").unwrap() + 3..];
    let list = &list[..=list.find(']').unwrap()];
    let crossing = (1..).find(|k| spec.len() + k * list.len() > 1 << 20);
    assert_eq!(crossing, Some(profile), "{first}");
}
