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

// ---- 20.5 and 20.6 bytes from the disk or a spec never steer a terminal or a CI log ----

/// Whether a CI runner or a terminal could be steered by `output`: a raw unsafe
/// character, `##[` anywhere, or a line that opens with `::` (after whitespace)
/// other than the annotations the program itself writes.
fn steers(output: &str) -> Option<String> {
    for line in output.lines() {
        let forged = line.trim_start().starts_with("::")
            && !(line.starts_with("::error file=") || line.starts_with("::warning file="));
        if forged || line.contains("##[") || line.chars().any(ssm_profile::text::is_unsafe_in_code)
        {
            return Some(line.to_string());
        }
    }
    None
}

const FORGED: &str = "x\n::warning title=forged::y\n##[add-mask]z\u{1b}[31m";

#[test]
fn file_names_and_file_contents_from_the_tree_are_escaped_in_check() {
    let s = Scratch::new("hostile-tree");
    s.spec("minimal", "spec.yaml");
    let run = s.run(&["build", "spec.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    // A stray file with a forged name, and a drifted file with forged lines.
    s.write(&format!("gen/cloudformation/{FORGED}"), "stray");
    let drifted = std::fs::read_dir(s.path("gen/cloudformation"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let mut on_disk = std::fs::read_to_string(&drifted).unwrap();
    on_disk.push_str(
        "\u{1b}]0;title\u{7}\r\n::error::forged\n  ::warning title=forged::x\n##[set-output]y\n",
    );
    std::fs::write(&drifted, on_disk).unwrap();
    for format in ["human", "json", "github"] {
        let run = s.run(&[
            "check",
            "spec.yaml",
            "--out-dir",
            "gen",
            "--exhaustive",
            "--message-format",
            format,
        ]);
        assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
        let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
        assert_eq!(steers(&stdout), None, "{format} stdout:\n{stdout}");
        assert_eq!(steers(&stderr), None, "{format} stderr:\n{stderr}");
        assert!(
            stdout.contains(r"stray: gen/cloudformation/x\n::warning title=forged::y\n\u{23}#[add-mask]z\u{1b}[31m (no spec"),
            "{stdout}"
        );
        assert!(stdout.contains("\n-\\u{1b}]0;title\\u{7}\\r\n"), "{stdout}");
        assert!(stdout.contains("\n-  ::warning title"), "{stdout}");
        assert!(stdout.contains("\n-\\u{23}#[set-output]y\n"), "{stdout}");
    }
    // A spec named so: its files are missing, and the lines saying so are escaped.
    let named = format!("{FORGED}.yaml").replace('/', "_");
    s.spec("minimal", &named);
    let run = s.run(&[
        "check",
        &named,
        "--out-dir",
        "gen",
        "--message-format",
        "github",
    ]);
    let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
    assert_eq!(steers(&stdout), None, "{stdout}");
    assert_eq!(steers(&stderr), None, "{stderr}");
}

#[test]
fn log_commands_in_spec_text_are_neutralised_in_every_format() {
    let s = Scratch::new("log-commands");
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: a\n    \"##[add-mask]secret\": 1\n",
    );
    for format in ["human", "json", "github"] {
        let run = s.run(&[
            "build",
            "spec.yaml",
            "--target",
            "terraform",
            "--message-format",
            format,
        ]);
        assert_eq!(run.status.code(), Some(2));
        let stderr = text(&run.stderr);
        assert_eq!(steers(&stderr), None, "{format}:\n{stderr}");
        assert!(stderr.contains("add-mask]secret"), "{stderr}");
        if format == "json" {
            // A JSON reader gets the text back exactly.
            let d: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
            assert!(
                d["message"]
                    .as_str()
                    .unwrap()
                    .contains("`##[add-mask]secret`")
            );
        }
    }
}
