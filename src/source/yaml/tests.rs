//! The reader against serde_yaml 0.9, which read specs before it: for each spec
//! below, both give the same spec and the same unknown fields, or the same error
//! with the same field path and position. serde_yaml parses with its own parser
//! (unsafe-libyaml) and its own deserialiser, so the two share no code here.

use crate::source::index::PathIndex;
use crate::source::prescan::yaml_prescan;
use crate::spec::Spec;

/// The spec, or the error as serde_yaml writes one (`path: message at line L column
/// C`), and the unknown fields' paths.
type Outcome = (Result<String, String>, Vec<String>);

fn ours(text: &str) -> Outcome {
    let mut unknown = Vec::new();
    let scan = yaml_prescan(text, PathIndex::default()).expect("no refusal in these specs");
    let read = scan.document.read(|reader| {
        serde_ignored::deserialize::<_, _, Spec>(reader, |p| unknown.push(p.to_string()))
    });
    (
        read.map(|spec| format!("{spec:?}")).map_err(written),
        unknown,
    )
}

/// An error as serde_yaml writes one.
fn written(e: super::Error) -> String {
    let mut out = String::new();
    if !e.path.is_empty() {
        out.push_str(&format!("{}: ", e.path));
    }
    out.push_str(&e.to_string());
    // serde_yaml leaves out the position of the document's start.
    if let Some(mark) = e.mark
        && (mark.line, mark.col) != (1, 0)
    {
        out.push_str(&format!(" at line {} column {}", mark.line, mark.col + 1));
    }
    out
}

/// `text` read as a `T` by this reader, then by serde_yaml: the value, or the error.
fn both<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    text: &str,
) -> (Result<String, String>, Result<String, String>) {
    let scan = yaml_prescan(text, PathIndex::recording_nothing()).expect("no refusal");
    let ours = (scan.document.read(|reader| T::deserialize(reader)))
        .map(|value| format!("{value:?}"))
        .map_err(written);
    let theirs = serde_yaml::from_str::<T>(text)
        .map(|value| format!("{value:?}"))
        .map_err(|e| e.to_string());
    (ours, theirs)
}

fn serde_yaml(text: &str) -> Outcome {
    let mut unknown = Vec::new();
    let de = serde_yaml::Deserializer::from_str(text);
    let read = serde_ignored::deserialize::<_, _, Spec>(de, |p| unknown.push(p.to_string()));
    let read = read
        .map(|spec| format!("{spec:?}"))
        .map_err(|e| e.to_string());
    (read, unknown)
}

const HEAD: &str = "version: 1\nprofiles:\n  - name: a\n";

/// Each spec is `HEAD` and these lines (a profile's fields at 4 spaces), or whole
/// when it starts with `!`.
const SPECS: &[&str] = &[
    "",
    // Scalars where text is asked for: any scalar is its text.
    "    description: 123\n",
    "    description: true\n",
    "    description: 1.5\n",
    "    description: 0x1F\n",
    "    description: 007\n",
    "    description: '007'\n",
    "    description: \"a\\tb\"\n",
    "    description: |\n      two\n      lines\n",
    "    description: >\n      folded\n      text\n",
    "    description: |\n",
    "    description: |-\n",
    "    description: |+\n\n",
    "    description: >\n\n",
    "    description: |  # a comment\n",
    "    description: |\n    kind: instance-profile\n",
    "    description: .inf\n",
    // Null and absence.
    "    description: ~\n",
    "    description: null\n",
    "    description: NULL\n",
    "    description:\n",
    "    description: 'null'\n",
    "    s3: ~\n",
    "    s3:\n",
    "    tags:\n",
    "    tags: ~\n",
    "    tags: {}\n",
    "    tags:\n      a:\n      b: ~\n      c: 12\n      d: 'x'\n",
    // Booleans.
    "    adopt: true\n",
    "    adopt: True\n",
    "    adopt: FALSE\n",
    "    adopt: yes\n",
    "    adopt: 'true'\n",
    "    adopt: 1\n",
    "    adopt: ~\n",
    "    adopt: [true]\n",
    "    adopt: # not yet\n",
    "    adopt:\n    kind: instance-profile\n",
    "    s3:\n      - a\n",
    "    s3:\n    - a\n",
    // Numbers.
    "    max_session_duration: 3600\n",
    "    max_session_duration: \"3600\"\n",
    "    max_session_duration: 3600.0\n",
    "    max_session_duration: 99999999999\n",
    "    max_session_duration: 1e3\n",
    "    max_session_duration: true\n",
    "    max_session_duration: ~\n",
    "    max_session_duration: {a: 1}\n",
    "    stack: 3\n",
    // Enums.
    "    kind: hybrid-service-role\n",
    "    kind: server-role\n",
    "    kind: {a: 1}\n",
    "    kind: [a]\n",
    "    kind: 1\n",
    "    partition: aws-cn\n",
    // Lists.
    "    managed_policies:\n      additional: []\n",
    "    managed_policies:\n      additional:\n",
    "    managed_policies:\n      additional: arn\n",
    "    managed_policies:\n      additional: [a, 1, true, ~]\n",
    "    managed_policies:\n      additional: {a: 1}\n",
    // Nested paths.
    "    s3:\n      buckets:\n        - name: b\n        - name: [x]\n",
    "    s3:\n      buckets:\n        - prefix: p\n",
    "    s3:\n      buckets:\n        - name: b\n          encrypted: maybe\n",
    "    s3:\n      vpc_endpoint_regions: us-east-1\n",
    // Unknown fields, read past.
    "    nmae: b\n",
    "    s3:\n      bucket: {a: [1, 2]}\n      policy_name: p\n",
    // Duplicates and absences.
    "    name: b\n",
    "    tags:\n      a: x\n      a: y\n",
    "!version: 1\n",
    "!profiles: []\n",
    "!version: 1\nprofiles:\n  - kind: instance-profile\n",
    "!version: 1\nprofiles:\n  -\nrollout: ~\n",
    "!version: 1\nprofiles:\n  - \n\nrollout: ~\n",
    "!version: 1\nprofiles: {}\n",
    "!version: 1\nprofiles: a\n",
    "!version: one\nprofiles: []\n",
    // Documents.
    "!",
    "!# only a comment\n",
    "!~\n",
    "!- a\n",
    "!just text\n",
    "!---\nversion: 1\nprofiles: []\n",
    "!version: 1\nprofiles: []\n...\n",
    // Flow style.
    "!{version: 1, profiles: [{name: a, tags: {x: y}}]}\n",
    "!version: 1\nprofiles: [{name: a, s3: {buckets: [{name: b, cross_account: true}]}}]\n",
    // Aliases.
    "!x: &p {name: a}\nversion: 1\nprofiles: [*p, *p]\n",
    "!version: 1\nprofiles:\n  - name: &n a\n    description: *n\n",
    "!version: 1\nprofiles:\n  - name: a\n    tags: &t {k: v}\n  - name: b\n    tags: *t\n",
    "!version: &v 1\nprofiles:\n  - name: a\n    max_session_duration: *v\n",
    "!version: 1\nprofiles:\n  - &p\n    name: a\n    nope: *p\n",
    "!x: &v 1\nversion: *v\nprofiles: []\n",
    "!x: [&t true, &n nm, &k hybrid-service-role, &r [us-east-1], &m {name: b}]\nversion: 1\nprofiles:\n  - name: *n\n    adopt: *t\n    kind: *k\n    s3:\n      vpc_endpoint_regions: *r\n      buckets: [*m]\n",
    // Rollout and the spec's top level.
    "!version: 1\nrollout:\n  organizational_units: [ou-1]\n  iam_region: us-east-1\n  call_as: delegated-admin\nprofiles: []\n",
    "!version: 1\nrollout:\n  organizational_units: ou-1\n  iam_region: us-east-1\nprofiles: []\n",
    "!version: 1\nscanner_suppressions: off\nprofiles: []\n",
    "!version: 1\naccount_id: 012345678901\nprofiles: []\n",
    "!version: 1\nstacks: 0b11\nprofiles: []\n",
    "!version: 1\nstacks: -0x1\nprofiles: []\n",
    "!version: 1\nstacks: 0x-1\nprofiles: []\n",
    "!version: 1\nstacks: +0o7\nprofiles: []\n",
    "!version: 1\nstacks: +-1\nprofiles: []\n",
    "!version: 1\nstacks: -0\nprofiles: []\n",
    "!version: 1\nstacks: 00\nprofiles: []\n",
    "!version: 1\nstacks: 1_000\nprofiles: []\n",
    "!version: 1\nstacks: 99999999999999999999999\nprofiles: []\n",
    "!version: 1\nstacks: -99999999999999999999999\nprofiles: []\n",
    "!version: 1\nstacks: 1.5e3\nprofiles: []\n",
    "!version: 1\nstacks: -.inf\nprofiles: []\n",
    "!version: 1\nstacks: .NaN\nprofiles: []\n",
];

#[test]
fn specs_read_as_serde_yaml_read_them() {
    let mut differ = Vec::new();
    for spec in SPECS {
        let text = match spec.strip_prefix('!') {
            Some(whole) => whole.to_string(),
            None => format!("{HEAD}{spec}"),
        };
        let (ours, theirs) = (ours(&text), serde_yaml(&text));
        if ours != theirs {
            differ.push(format!(
                "{text:?}\n  ours:       {ours:?}\n  serde_yaml: {theirs:?}"
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn an_anchored_value_is_shown_at_the_value_not_at_its_anchor() {
    // Where serde_yaml (libyaml) pointed at `&k`: the value is what is wrong.
    let (read, _) = ours("version: 1\nprofiles:\n  - name: a\n    kind: &k server-role\n");
    assert!(read.unwrap_err().ends_with("at line 4 column 14"));
}

#[test]
fn a_second_document_is_refused_after_the_first_is_read() {
    let (read, _) = ours("version: 1\nprofiles: []\n---\nversion: 1\n");
    assert_eq!(
        read.unwrap_err(),
        "deserializing from YAML containing more than one document is not supported"
    );
    // A type error in the first document comes first, as in serde_yaml.
    let (read, _) = ours("version: x\nprofiles: []\n---\nversion: 1\n");
    assert!(read.unwrap_err().starts_with("version: invalid type"));
}

#[test]
fn an_alias_inside_its_own_anchor_is_followed_only_to_the_nesting_limit() {
    // The spec's types never nest into themselves; a generic value does.
    let scan = yaml_prescan("a: &a [*a]\n", PathIndex::recording_nothing()).unwrap();
    let read = scan
        .document
        .read(|reader| <serde_json::Value as serde::Deserialize>::deserialize(reader));
    assert_eq!(read.unwrap_err().message, "recursion limit exceeded");
}

#[test]
fn a_syntax_error_is_reported_where_the_events_before_it_run_out() {
    // The type error before the syntax error is found first; a spec that is
    // well-typed up to the error gets the parser's message at its position.
    let (read, _) = ours("version: 1\nprofiles:\n  - name: a\n    tags: {a: b\n");
    let error = read.unwrap_err();
    assert!(
        error.contains("did not find expected ',' or '}'"),
        "{error}"
    );
    assert!(error.ends_with("at line 5 column 1"), "{error}");
    let (read, _) = ours("version: x\nprofiles: [\n");
    assert!(read.unwrap_err().starts_with("version: invalid type"));
}

/// Where the two readers place an error differently, and why that is kept: a block
/// node anchored on a line of its own or before its first key (libyaml places it
/// at the anchor, yaml-rust2 at the node), an alias with text glued to it (`*a-`), a block scalar
/// header as a value (`key: |1`), and an empty list item with a comment after
/// its `-`, or another item right below it, which yaml-rust2 marks at that item.
/// (Not in the mutations, and so not here: an empty value in a flow mapping,
/// `{a: }`, which yaml-rust2 marks at its `:` and libyaml at the `}`.)
fn placed_apart(text: &str) -> bool {
    let glued_alias = text.match_indices('*').any(|(i, _)| {
        text[i + 1..]
            .chars()
            .nth(1)
            .is_some_and(|c| !c.is_whitespace())
    });
    let anchored_block = text.lines().any(|line| line.trim_start().starts_with('&'));
    // An empty item with a comment after its `-`, or with the next item right
    // below it.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let empty_item = lines.iter().enumerate().any(|(i, line)| {
        line.strip_prefix('-')
            .is_some_and(|rest| rest.trim_start().starts_with('#'))
            || (*line == "-"
                && (lines[i + 1..].iter().find(|l| !l.is_empty()))
                    .is_none_or(|l| l.starts_with('-')))
    });
    anchored_block || glued_alias || text.contains(": |") || text.contains(": >") || empty_item
}

/// Fixture specs, each cut and spliced at random places (a fixed seed, so the same
/// specs each run): where both readers read past the syntax (no syntax error from
/// either), they agree on the spec, its unknown fields and the error, outside
/// `placed_apart`.
#[test]
fn mutated_fixtures_read_as_serde_yaml_read_them() {
    let mut files = Vec::new();
    for dir in ["fixtures", "fixtures/invalid"] {
        let dir = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path().join("spec.yaml");
            if let Ok(text) = std::fs::read_to_string(&path) {
                // `Source` drops a byte-order mark before either reader sees it.
                files.push(text.trim_start_matches('\u{feff}').to_string());
            }
        }
    }
    files.sort();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    let pieces = [
        ":", " ", "\n", "- ", "~", "'", "\"", "{", "}", "[", "]", ",", "&a ", "*a", "true", "0x1",
        "#", "  ", "null", "1.5", "|", ">", "-", "yes", "0", "\t",
    ];
    let (mut compared, mut differ) = (0, Vec::new());
    for text in &files {
        for _ in 0..60 {
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..1 + random() % 3 {
                if chars.is_empty() {
                    break;
                }
                let at = random() % chars.len();
                match random() % 3 {
                    0 => drop(chars.remove(at)),
                    1 => {
                        let piece = pieces[random() % pieces.len()];
                        chars.splice(at..at, piece.chars());
                    }
                    _ => drop(chars.drain(at..(at + random() % 20).min(chars.len()))),
                }
            }
            let text: String = chars.into_iter().collect();
            let Ok(scan) = yaml_prescan(&text, PathIndex::recording_nothing()) else {
                continue;
            };
            let read = scan
                .document
                .read(|reader| serde_ignored::deserialize::<_, _, Spec>(reader, |_| {}));
            let theirs = serde_yaml(&text);
            let their_syntax_error = theirs.0.as_ref().is_err_and(|e| {
                !["invalid", "missing", "unknown", "duplicate", "given twice"]
                    .iter()
                    .any(|word| e.contains(word))
            });
            if matches!(&read, Err(e) if e.syntax) || their_syntax_error || placed_apart(&text) {
                continue;
            }
            compared += 1;
            let ours = ours(&text);
            if ours != theirs {
                differ.push(format!(
                    "{text:?}\n  ours:       {:?}\n  serde_yaml: {:?}",
                    ours.0, theirs.0
                ));
            }
        }
    }
    assert!(compared > 3_000, "only {compared} specs compared");
    assert!(
        differ.is_empty(),
        "{} of {compared} differ:\n{}",
        differ.len(),
        differ[..differ.len().min(10)].join("\n")
    );
}

/// Types the spec does not use reach the parts of the reader it does not: a value
/// of any shape, the unit, tuples, non-text keys.
#[test]
fn other_types_read_as_serde_yaml_reads_them() {
    use std::collections::BTreeMap;
    type Value = serde_json::Value;
    let mut differ = Vec::new();
    let mut check =
        |text: &str, (ours, theirs): (Result<String, String>, Result<String, String>)| {
            // serde_yaml writes the top of a path before an index as `.` (`.[1]`);
            // this reader writes nothing there (`[1]`), as before a key.
            let theirs = theirs.map_err(|e| match e.strip_prefix(".[") {
                Some(rest) => format!("[{rest}"),
                None => e,
            });
            if ours != theirs {
                differ.push(format!(
                    "{text:?}\n  ours:       {ours:?}\n  serde_yaml: {theirs:?}"
                ));
            }
        };
    for text in [
        "",
        "~",
        "a",
        "'1'",
        "0x10",
        "-0o7",
        "007",
        "-12",
        "1.5",
        ".inf",
        "[a, 1, true, ~, 1.5]",
        "{a: [1, {b: ~}]}",
        "a: &x [1, 2]\nb: *x\n",
        "- &s x\n- *s\n",
        "? [a]\n: b\n",
        "a: &m {b: 1}\nc: *m\n",
        "|\n  text\n",
    ] {
        check(text, both::<Value>(text));
    }
    for text in ["", "~", "null", "x", "'~'", "[]", "{}"] {
        check(text, both::<()>(text));
    }
    for text in ["[~, ~]", "- ~\n- x\n", "- &n ~\n- *n\n"] {
        check(text, both::<Vec<()>>(text));
    }
    for text in ["[a]", "[a, b]", "[]", "a"] {
        check(text, both::<(String,)>(text));
    }
    for text in ["[[a], [b, c]]", "- &l [a]\n- *l\n", "~", ""] {
        check(text, both::<Vec<Vec<String>>>(text));
    }
    for text in [
        "m:\n  ? [a]\n  : 1\n",
        "m:\n  ? [a]\n  : x\n",
        "m: {[a]: 1, [b]: y}\n",
    ] {
        check(
            text,
            both::<BTreeMap<String, BTreeMap<Vec<String>, u32>>>(text),
        );
    }
    for text in ["a: 1\n", "a: 1\nb: 2\n", "{}"] {
        check(text, both::<FirstEntry>(text));
    }
    // Each number alone, so that one refused does not hide the rest.
    for number in [
        "1",
        "-1",
        "+1",
        "++1",
        "0x10",
        "-0x10",
        "+0x10",
        "0x-1",
        "-0o7",
        "0o+7",
        "0b101",
        "-0b1",
        "+-1",
        "-+1",
        "007",
        "-007",
        "1.0",
        "x",
        "'1'",
        "~",
        "99999999999999999999",
        "-0",
    ] {
        check(number, both::<i64>(number));
        check(number, both::<i128>(number));
        check(number, both::<u8>(number));
        check(number, both::<u128>(number));
    }
    for number in [
        "1.5", ".inf", "+.inf", "-.inf", ".NaN", "+1.5", "+-1.5", "-+1.5", "1e3", "007", "x", "1",
        "'1.5'", "inf", "NaN",
    ] {
        check(number, both::<f64>(number));
        check(number, both::<f32>(number));
    }
    for text in ["a", "'a'", "1", "ab", "~", "[a]"] {
        check(text, both::<char>(text));
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// A map's first entry: its visitor stops there, as no type of the spec's does.
#[derive(Debug)]
// Read through its Debug form, which the dead-code lint does not count.
#[allow(dead_code)]
struct FirstEntry(Option<(String, u32)>);

impl<'de> serde::Deserialize<'de> for FirstEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct First;
        impl<'de> serde::de::Visitor<'de> for First {
            type Value = FirstEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FirstEntry, A::Error> {
                Ok(FirstEntry(map.next_entry()?))
            }
        }
        deserializer.deserialize_map(First)
    }
}

#[test]
fn aliases_are_followed_at_most_a_hundred_times_per_node() {
    // Each level is ten aliases of the one before: 10 + 100 + 1,000 + 10,000 follows
    // for some 60 nodes. serde_yaml stops at the same bound, with the same words.
    let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..=4 {
        let aliases = vec![format!("*l{}", level - 1); 10].join(", ");
        text.push_str(&format!("l{level}: &l{level} [{aliases}]\n"));
    }
    let (ours, theirs) = both::<serde_json::Value>(&text);
    // serde_yaml gives no position; this reader gives the alias where it stopped.
    let ours = ours.unwrap_err();
    assert!(
        ours.starts_with("repetition limit exceeded at line 2"),
        "{ours}"
    );
    assert_eq!(theirs.unwrap_err(), "repetition limit exceeded");
    // One level fewer is 1,110 follows: read.
    let fewer = text.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(both::<serde_json::Value>(&fewer).0.is_ok());
}

#[test]
fn nesting_is_counted_per_branch_not_per_container() {
    // 300 profiles are 300 mappings, one level below the top: the nesting bound
    // (128) is about depth.
    let mut text = String::from("version: 1\nprofiles:\n");
    for i in 0..300 {
        text.push_str(&format!(
            "  - name: p{i}\n    s3: {{buckets: [{{name: b{i}}}]}}\n"
        ));
    }
    assert_eq!(ours(&text), serde_yaml(&text));
    assert!(ours(&text).0.is_ok());
}
