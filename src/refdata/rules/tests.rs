use serde_json::json;

use super::*;

/// The characters AWS's published pattern allows, read from its text alone: a
/// bracket expression of literal characters, `\uXXXX`, `\w` (ASCII word characters,
/// as IAM's Java patterns read it), `\p{L}`/`\p{Z}`/`\p{N}`, escaped characters and
/// ranges. Nothing here shares code with `Class`, so a mistake in a rule's value
/// (a range starting at U+00A0 instead of U+00A1) shows as a disagreement.
fn aws_allows(pattern: &str, c: char) -> bool {
    // `\d{12}` (an account ID): a digit, in the ASCII sense of AWS's Java patterns.
    if pattern.starts_with(r"\d") {
        return c.is_ascii_digit();
    }
    let open = pattern.find('[').expect("a bracket expression");
    let close = pattern.rfind(']').expect("a closing bracket");
    let body: Vec<char> = pattern[open + 1..close].chars().collect();
    // Each atom: a character, an escaped character (never a range's `-`), or a test.
    enum Atom {
        Char(char),
        Escaped(char),
        Test(fn(char) -> bool),
    }
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < body.len() {
        if body[i] != '\\' {
            atoms.push(Atom::Char(body[i]));
            i += 1;
            continue;
        }
        match body[i + 1] {
            'u' => {
                let hex: String = body[i + 2..i + 6].iter().collect();
                atoms.push(Atom::Char(
                    char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap(),
                ));
                i += 6;
            }
            'w' => {
                atoms.push(Atom::Test(|c| c.is_ascii_alphanumeric() || c == '_'));
                i += 2;
            }
            'p' => {
                let category = body[i + 3];
                atoms.push(Atom::Test(match category {
                    'L' => |c: char| {
                        use unicode_general_category::{
                            GeneralCategory as G, get_general_category,
                        };
                        matches!(
                            get_general_category(c),
                            G::UppercaseLetter
                                | G::LowercaseLetter
                                | G::TitlecaseLetter
                                | G::ModifierLetter
                                | G::OtherLetter
                        )
                    },
                    'Z' => |c: char| {
                        use unicode_general_category::{
                            GeneralCategory as G, get_general_category,
                        };
                        matches!(
                            get_general_category(c),
                            G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator
                        )
                    },
                    'N' => |c: char| {
                        use unicode_general_category::{
                            GeneralCategory as G, get_general_category,
                        };
                        matches!(
                            get_general_category(c),
                            G::DecimalNumber | G::LetterNumber | G::OtherNumber
                        )
                    },
                    other => panic!("the category {other}"),
                }));
                i += 5;
            }
            escaped => {
                atoms.push(Atom::Escaped(escaped));
                i += 2;
            }
        }
    }
    // `a-b` between two characters is a range; a `-` first or last is itself.
    let mut k = 0;
    while k < atoms.len() {
        if let (Some(Atom::Char(a)), Some(Atom::Char('-')), Some(Atom::Char(b))) =
            (atoms.get(k), atoms.get(k + 1), atoms.get(k + 2))
            && k + 2 < atoms.len()
        {
            if (*a..=*b).contains(&c) {
                return true;
            }
            k += 3;
            continue;
        }
        match &atoms[k] {
            Atom::Char(x) | Atom::Escaped(x) if *x == c => return true,
            Atom::Test(t) if t(c) => return true,
            _ => {}
        }
        k += 1;
    }
    false
}

/// The first character a rule allows, to pad a value to a length.
fn filler(rule: &TextRule) -> char {
    ('A'..='z')
        .chain('0'..='9')
        .find(|c| rule.class.allows(*c))
        .unwrap()
}

#[test]
fn the_oracle_reads_aws_patterns() {
    assert!(aws_allows(r"[\w+=,.@-]+", '_') && aws_allows(r"[\w+=,.@-]+", '-'));
    assert!(!aws_allows(r"[\w+=,.@-]+", 'é') && !aws_allows(r"[\w+=,.@-]+", '/'));
    let description = r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*";
    assert!(aws_allows(description, '\u{a1}') && !aws_allows(description, '\u{a0}'));
    let tag = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
    assert!(aws_allows(tag, 'ß') && aws_allows(tag, '-') && !aws_allows(tag, '\u{93f}'));
    let path = r"^((/[A-Za-z0-9\.,\+@=_-]+)*)/$";
    assert!(aws_allows(path, '+') && aws_allows(path, '-') && !aws_allows(path, '/'));
}

/// Each rule's characters are the ones its AWS pattern names: every code point of
/// ASCII, Latin-1 and the next planes' first blocks, and every edge of the rule.
#[test]
fn each_rule_allows_what_aws_publishes() {
    let mut checked = 0;
    let rules = TEXT_RULES
        .iter()
        .map(|(name, rule)| (*name, rule.class, rule.aws_pattern))
        .chain([("path", PATH.segment, PATH.aws_pattern)]);
    for (name, class, pattern) in rules {
        let points = (0..0x800).filter_map(char::from_u32).chain(class.edges());
        for c in points {
            assert_eq!(
                class.allows(c),
                aws_allows(pattern, c),
                "{name}: U+{:04X} against {pattern}",
                c as u32
            );
            checked += 1;
        }
    }
    assert!(checked > 7 * 0x800, "{checked}");
}

/// At each length limit and one past it, and at each edge of each character class,
/// the compiler's verdict (`violation`) and the schema's (the `jsonschema` crate on
/// `schema()`) are the rule's; the schema lets non-ASCII past a Unicode class only
/// beyond the range it judges exactly.
#[test]
fn boundary_values_are_judged_alike_by_the_check_and_the_schema() {
    let mut checked = 0;
    for (name, rule) in TEXT_RULES {
        let mut schema = rule.schema();
        schema["type"] = json!("string");
        let validator = jsonschema::validator_for(&schema).unwrap();
        let fill = filler(rule);
        let padded = |c: char, len: usize| {
            let mut s = c.to_string();
            s.extend(std::iter::repeat_n(fill, len.saturating_sub(1)));
            s
        };
        let mut cases: Vec<(String, Option<Violation>)> = vec![
            (padded(fill, rule.max()), None),
            (
                padded(fill, rule.max() + 1),
                Some(Violation::Length(rule.max() + 1)),
            ),
            (padded(fill, rule.min().max(1)), None),
        ];
        if rule.min() > 0 {
            cases.push((String::new(), Some(Violation::Length(0))));
        } else {
            cases.push((String::new(), None));
        }
        for c in rule.class.edges() {
            let expected = (!aws_allows(rule.aws_pattern, c)).then_some(Violation::Char(c));
            cases.push((padded(c, rule.min().max(1)), expected));
        }
        for (value, expected) in cases {
            assert_eq!(rule.violation(&value), expected, "{name}: {value:?}");
            let schema_accepts = validator.is_valid(&json!(value));
            let lets_through =
                rule.class.has_categories() && value.chars().any(|c| c as u32 > SCHEMA_EXACT_UP_TO);
            if expected.is_none() || !lets_through {
                assert_eq!(schema_accepts, expected.is_none(), "{name}: {value:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn classes_are_written_as_before() {
    assert_eq!(IAM_NAME_CHARS.portable(), "[A-Za-z0-9_+=,.@-]");
    assert_eq!(PATH.pattern(), r"^/([A-Za-z0-9.,+@=_-]+/)*$");
    assert_eq!(DESCRIPTION.pattern(), r"^[\t\n\r\x20-\x7e\xa1-\xff]*$");
    assert_eq!(
        TAG_VALUE.pattern(),
        r"^[^\x00-\x1f\x21-\x2a\x2c\x3b\x3c\x3e\x3f\x5b-\x5e\x60\x7b-\x9f]*$"
    );
    assert_eq!(TAG_KEY.re2_pattern(), r"^[\p{L}\p{Z}\p{N}_.:/=+@-]+$");
    assert_eq!(PATH.re2_pattern(), PATH.pattern());
}

#[test]
fn paths_are_slashes_around_segments() {
    for (path, ok) in [
        ("/", true),
        ("/a/", true),
        ("/a/b.c/", true),
        ("//", false),
        ("/a//b/", false),
        ("a/", false),
        ("/a", false),
        ("/a b/", false),
        ("", false),
    ] {
        assert_eq!(PATH.allows(path), ok, "{path:?}");
    }
    let longest = format!("/{}/", "a".repeat(PATH.max - 2));
    assert!(PATH.allows(&longest));
    assert!(!PATH.allows(&format!("/a{}", &longest[1..])));
}

#[test]
fn policy_arns_name_a_policy_of_the_partition() {
    let pattern = policy_arn_pattern("aws");
    let validator =
        jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).unwrap();
    let name = "P".repeat(POLICY_NAME.max());
    for (arn, ok) in [
        ("arn:aws:iam::aws:policy/P".to_string(), true),
        ("arn:aws:iam::111122223333:policy/a/b/P".to_string(), true),
        ("arn:aws:iam::111122223333:policy/a//P".to_string(), false),
        ("arn:aws-cn:iam::aws:policy/P".to_string(), false),
        (format!("arn:aws:iam::aws:policy/{name}"), true),
        (format!("arn:aws:iam::aws:policy/{name}P"), false),
    ] {
        assert_eq!(validator.is_valid(&json!(arn)), ok, "{arn}");
    }
}

#[test]
fn every_rule_names_its_aws_page() {
    let rules = TEXT_RULES
        .iter()
        .map(|(_, r)| r.source)
        .chain([PATH.source]);
    for source in rules {
        assert!(source.url.starts_with("https://docs.aws.amazon.com/"));
        assert!(!source.doc.is_empty() && source.date.len() == 10);
    }
}

#[test]
fn regex_metacharacters_are_escaped() {
    assert_eq!(alternatives(&[".mrap", "--x-s3"]), r"\.mrap|--x-s3");
}

/// A range is written as its two characters only when both are alphanumeric: any
/// other end (`]`, `\`, `^`, `-`) would change the bracket expression's meaning, so
/// the range is written by code point, in every dialect.
#[test]
fn a_range_with_an_end_that_is_not_alphanumeric_is_written_by_code_point() {
    for (class, written) in [
        (Class(&[Chars::Range('0', ']')]), r"[\x30-\x5d]"),
        (Class(&[Chars::Range('!', 'z')]), r"[\x21-\x7a]"),
        (Class(&[Chars::Range('a', 'z')]), "[a-z]"),
    ] {
        assert_eq!(class.portable(), written, "{class:?}");
        assert_eq!(class.re2(), written, "{class:?}");
    }
}

/// The boundary tests judge the characters either side of each edge: the one
/// before a range and the one after it, each with the edge itself.
#[test]
fn the_edges_of_a_range_are_its_ends_and_their_neighbours() {
    let edges = Class(&[Chars::Range('b', 'y')]).edges();
    for c in ['a', 'b', 'c', 'x', 'y', 'z'] {
        assert!(edges.contains(&c), "{c:?} missing from {edges:?}");
    }
    // The first code point has no neighbour before it.
    let edges = Class(&[Chars::Range('\0', '\u{1f}')]).edges();
    assert!(edges.contains(&'\0') && edges.contains(&'\u{1}') && edges.contains(&' '));
}
