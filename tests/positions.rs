//! Where each error and warning points (issue 26 item 7): at the field the user
//! changes, in every message format alike (human, JSON lines, GitHub annotations).

mod support;

use support::{Scratch, text};

/// One diagnostic's place: (severity, line, column, field path).
type Place = (String, u64, u64, String);

/// The places the run of `args` (plus `--message-format FORMAT`) reports, read from
/// each of the three formats; they must agree, and the list is returned.
fn places(s: &Scratch, args: &[&str]) -> Vec<Place> {
    let run = |format: &str| {
        let mut all = args.to_vec();
        all.extend(["--message-format", format]);
        text(&s.run(&all).stderr)
    };
    let human: Vec<Place> = run("human")
        .lines()
        .filter_map(|l| {
            let (severity, rest) = l.split_once(": ")?;
            if severity != "error" && severity != "warning" {
                return None;
            }
            let mut parts = rest.splitn(4, ':');
            let (_file, line, column) = (parts.next()?, parts.next()?, parts.next()?);
            let path = parts.next()?.trim_start().split_once(": ")?.0;
            Some((
                severity.to_string(),
                line.parse().ok()?,
                column.parse().ok()?,
                path.to_string(),
            ))
        })
        .collect();
    let json: Vec<Place> = run("json")
        .lines()
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let github: Vec<Place> = run("github")
        .lines()
        .map(|l| {
            let rest = l.strip_prefix("::").unwrap();
            let (head, message) = rest.split_once("::").unwrap();
            let (severity, props) = head.split_once(' ').unwrap();
            let prop = |key: &str| -> u64 {
                let found = props.split(',').find_map(|p| p.strip_prefix(key));
                found.unwrap().parse().unwrap()
            };
            let path = message.split_once(": ").unwrap().0;
            (
                severity.to_string(),
                prop("line="),
                prop("col="),
                path.to_string(),
            )
        })
        .collect();
    assert_eq!(human, json, "human and JSON disagree");
    assert_eq!(github, json, "GitHub and JSON disagree");
    json
}

fn place(severity: &str, line: u64, column: u64, path: &str) -> Place {
    (severity.to_string(), line, column, path.to_string())
}

#[test]
fn the_cross_account_warning_points_at_the_bucket_s_cross_account() {
    let s = Scratch::new("pos-cross-account");
    s.spec("seed", "seed.yaml");
    assert_eq!(
        places(&s, &["build", "seed.yaml", "--target", "terraform"]),
        [place(
            "warning",
            15,
            26,
            "profiles[0].s3.buckets[0].cross_account"
        )]
    );
}

#[test]
fn the_dhmc_precedence_warning_is_on_each_instance_profile_it_is_about() {
    let s = Scratch::new("pos-dhmc");
    s.spec("dhmc-beside-instance-profiles", "spec.yaml");
    assert_eq!(
        places(&s, &["build", "spec.yaml", "--target", "terraform"]),
        [
            // WebTier holds Core: its own entry, not the DHMC profile's.
            place("warning", 15, 5, "profiles[1]"),
            place("warning", 20, 13, "profiles[2].managed_policies.core"),
            // Batch's policies by ARN may grant the action: where they are listed.
            place("warning", 21, 7, "profiles[2].managed_policies.additional"),
        ]
    );
}

#[test]
fn a_tag_key_error_points_at_the_key_and_a_value_error_at_the_value() {
    let s = Scratch::new("pos-tag-key");
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: A\n    tags:\n      team: platform\n      aws:owner: me\n",
    );
    assert_eq!(
        places(&s, &["build", "spec.yaml", "--target", "terraform"]),
        [place("error", 6, 7, "profiles[0].tags.aws:owner")]
    );
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: A\n    tags:\n      team: \"a\\u0001b\"\n",
    );
    assert_eq!(
        places(&s, &["build", "spec.yaml", "--target", "terraform"]),
        [place("error", 5, 13, "profiles[0].tags.team")]
    );
}

#[test]
fn a_duplicate_field_or_tag_points_at_its_second_occurrence() {
    let s = Scratch::new("pos-duplicate");
    let cases = [
        (
            "spec.yaml",
            "version: 1\nprofiles:\n  - name: A\n    path: /\n    name: B\n",
            place("error", 5, 5, "profiles[0]"),
        ),
        (
            "spec.json",
            "{\n  \"version\": 1,\n  \"profiles\": [\n    {\"name\": \"A\",\n     \"name\": \"B\"}\n  ]\n}\n",
            place("error", 5, 6, "profiles[0]"),
        ),
        (
            "spec.yaml",
            "version: 1\nprofiles:\n  - name: A\n    tags:\n      team: a\n      owner: b\n      team: c\n",
            place("error", 7, 7, "profiles[0].tags"),
        ),
        (
            "spec.yaml",
            "version: 1\nprofiles:\n  - name: A\n    tags: {team: a, team: b}\n",
            place("error", 4, 21, "profiles[0].tags"),
        ),
        (
            "spec.json",
            "{\"version\": 1, \"profiles\": [{\"name\": \"A\", \"tags\": {\"t\": \"1\",\n  \"t\": \"2\"}}]}\n",
            place("error", 2, 3, "profiles[0].tags"),
        ),
    ];
    for (name, spec, expected) in cases {
        s.write(name, spec);
        assert_eq!(
            places(&s, &["build", name, "--target", "terraform"]),
            [expected],
            "{spec}"
        );
    }
}
