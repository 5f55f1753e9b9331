use super::*;

fn by_yaml_rust2(text: &str) -> PathIndex {
    PathIndex::build(text, false)
}

fn by_json_reader(text: &str) -> PathIndex {
    PathIndex::build(text, true)
}

/// Every fixture spec written as JSON twice (pretty and on one line), and JSON with
/// what the reader must not miscount: escapes in keys, characters outside ASCII,
/// CRLF and lone CR breaks, literals, nesting.
fn json_texts() -> Vec<String> {
    let mut texts = vec![
        "{\"version\": 1, \"profiles\": [{\"name\": \"a\", \"path\": \"bad\"}]}".to_string(),
        "{\"na\\u006de\": \"\\\"x\\\\\", \"b\\\"\": [1, -2.5e3, true, false, null]}".to_string(),
        "{\r\n  \"é\": \"ünïcode ☃ 𝄞\",\r\n  \"k\": {\"𝄞\": [[], {}, [\"a\"]]}\r\n}\r\n"
            .to_string(),
        "{\"a\":\r\"b\",\r\"c\"\t:\n[ 1 ,2 ]\n}".to_string(),
        "{\"tags\": {\"\\u00e9\": \"\\n\\t\", \"\": \"\"}, \"x\": [{\"y\": [{\"z\": 1}]}]}"
            .to_string(),
    ];
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    for case in cases {
        for (name, json) in [("spec.yaml", false), ("spec.json", true)] {
            let Ok(text) = std::fs::read_to_string(case.join(name)) else {
                continue;
            };
            let value: serde_json::Value = if json {
                serde_json::from_str(&text).unwrap()
            } else {
                serde_yaml::from_str(&text).unwrap()
            };
            texts.push(serde_json::to_string(&value).unwrap());
            texts.push(serde_json::to_string_pretty(&value).unwrap());
            if json {
                texts.push(text);
            }
        }
    }
    assert!(texts.len() > 60, "{} texts", texts.len());
    texts
}

#[test]
fn json_is_indexed_as_yaml_rust2_indexes_it() {
    for text in json_texts() {
        let json = by_json_reader(&text);
        assert!(!json.values.is_empty(), "{text}");
        assert_eq!(json, by_yaml_rust2(&text), "{text}");
    }
}

#[test]
fn an_index_of_some_paths_places_them_as_the_whole_index_does() {
    let text = "version: 1\nprofiles:\n  - name: a\n    s3:\n      buckets:\n        - name: b\n  - name: c\n    path: bad\n";
    let asked = [
        "profiles[1].path",
        "profiles[0].s3.buckets[0].name",
        // Not in the file: placed at the nearest field around it that is.
        "profiles[0].s3.buckets[0].prefix",
        "profiles[1].tags.x",
        "rollout",
    ];
    let whole = by_yaml_rust2(text);
    let some = PathIndex::build_for(text, false, asked);
    for path in asked {
        assert_eq!(some.locate(path), whole.locate(path), "{path}");
    }
    assert_eq!(some.locate("profiles[1].path").line, 8);
    assert_eq!(some.locate("profiles[0].s3.buckets[0].prefix").line, 6);
    // Only what was asked for, and what lies around it, is kept.
    assert!(some.values.len() < whole.values.len());
    assert!(!some.values.contains_key("profiles[0].name"));
    assert!(!some.values.contains_key("version"));
}

#[test]
fn json_that_serde_json_refused_gives_a_partial_index_and_no_panic() {
    for text in [
        "{\"a\": \"unterminated",
        "{\"a\\",
        "{\"a\": [1, 2",
        "}}]]",
        "\"\\u12\"",
        "{\"k\u{301}\": 1}",
    ] {
        let _ = by_json_reader(text).locate("a");
    }
    assert_eq!(
        by_json_reader("{\"a\": 1, \"b\": \"open")
            .locate("a")
            .column,
        7
    );
}

#[test]
fn a_key_escaped_as_a_surrogate_pair_is_indexed_by_the_character_it_is() {
    // yaml-rust2 refuses `\ud834` on its own; serde_json reads the pair as one
    // character, and so does the index, since serde_json decodes its keys.
    let text = "{\"tags\": {\"\\ud834\\udd1e\": \"v\"}}";
    assert!(by_yaml_rust2(text).values.is_empty());
    let at = by_json_reader(text)
        .exact("tags.\u{1d11e}")
        .expect("indexed");
    assert_eq!((at.line, at.column), (1, 27));
}
