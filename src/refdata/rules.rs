//! Each IAM text rule as one value: its length, its characters, the words that name
//! them, and the AWS page that says so. The compiler's check (`TextRule::violation`),
//! the JSON Schema fragment (`TextRule::schema`) and the Terraform module's
//! validation (`TextRule::re2_pattern` and the limits) are all derived from the value, so
//! they cannot drift apart; the tests beside it derive boundary values from it
//! (each length limit and one past it, each edge of each character range) and hold
//! each value to the pattern AWS publishes (`TextRule::aws_pattern`).

use std::ops::RangeInclusive;

use serde_json::{Value, json};

use super::Citation;

/// Some of the characters a rule allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chars {
    /// Every character from the first to the second, both included.
    Range(char, char),
    /// Each of these characters.
    Each(&'static str),
    /// Unicode letters, separators and numbers by general category (`\p{L}\p{Z}\p{N}`),
    /// which no portable JSON Schema pattern can name.
    LettersSeparatorsNumbers,
}

/// A set of characters, as the union of its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class(pub &'static [Chars]);

/// The last code point the JSON Schema judges exactly in a class with Unicode
/// categories: ASCII and the C1 controls. Beyond it the schema lets characters
/// through for the compiler to judge, and says so in the field's description.
const SCHEMA_EXACT_UP_TO: u32 = 0x9f;

impl Class {
    pub fn allows(self, c: char) -> bool {
        self.0.iter().any(|part| match *part {
            Chars::Range(a, b) => (a..=b).contains(&c),
            Chars::Each(set) => set.contains(c),
            Chars::LettersSeparatorsNumbers => letter_separator_or_number(c),
        })
    }

    /// Whether any part names Unicode categories.
    fn has_categories(self) -> bool {
        self.0.contains(&Chars::LettersSeparatorsNumbers)
    }

    /// The class as a bracket expression in the subset of regular expressions that
    /// ECMA-262 (`u` mode), Python's `re`, Rust's `regex` and RE2 read alike; a class
    /// with Unicode categories is written as the ASCII and C1 characters it refuses
    /// (`[^...]`), letting the rest through.
    pub fn portable(self) -> String {
        if !self.has_categories() {
            return self.bracket(false);
        }
        let refused: Vec<u32> = (0..=SCHEMA_EXACT_UP_TO)
            .filter(|&u| char::from_u32(u).is_some_and(|c| !self.allows(c)))
            .collect();
        let mut out = String::from("[^");
        for (a, b) in runs(&refused) {
            // A run of two is written as two characters, as in `\x3b\x3c`.
            if b - a >= 2 {
                out.push_str(&format!("\\x{a:02x}-\\x{b:02x}"));
            } else {
                (a..=b).for_each(|u| out.push_str(&format!("\\x{u:02x}")));
            }
        }
        out.push(']');
        out
    }

    /// The class as RE2 (Terraform's `regex`), which names Unicode categories.
    pub fn re2(self) -> String {
        self.bracket(true)
    }

    fn bracket(self, categories: bool) -> String {
        let mut out = String::from("[");
        let mut dash = false;
        for part in self.0 {
            match *part {
                Chars::Range(a, b) if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => {
                    out.push(a);
                    out.push('-');
                    out.push(b);
                }
                Chars::Range(a, b) => {
                    out.push_str(&format!("\\x{:02x}-\\x{:02x}", a as u32, b as u32));
                }
                Chars::Each(set) => {
                    for c in set.chars() {
                        match c {
                            // Last, where it is no range.
                            '-' => dash = true,
                            '\t' => out.push_str("\\t"),
                            '\n' => out.push_str("\\n"),
                            '\r' => out.push_str("\\r"),
                            c => out.push(c),
                        }
                    }
                }
                Chars::LettersSeparatorsNumbers if categories => {
                    out.push_str(r"\p{L}\p{Z}\p{N}");
                }
                Chars::LettersSeparatorsNumbers => {}
            }
        }
        if dash {
            out.push('-');
        }
        out.push(']');
        out
    }

    /// The characters at each edge of each part: each range's ends and the
    /// characters either side of them, each listed character and its neighbours.
    /// The boundary tests judge each of these.
    pub fn edges(self) -> Vec<char> {
        let mut out = Vec::new();
        let mut near = |c: char| {
            for u in [c as u32 - u32::from(c as u32 > 0), c as u32, c as u32 + 1] {
                out.extend(char::from_u32(u));
            }
        };
        for part in self.0 {
            match *part {
                Chars::Range(a, b) => {
                    near(a);
                    near(b);
                }
                Chars::Each(set) => set.chars().for_each(&mut near),
                // The ASCII and Latin-1 letters, separators and numbers at the edges
                // of their runs, and characters of other scripts and categories.
                Chars::LettersSeparatorsNumbers => {
                    "AZaz09 \u{a0}\u{aa}\u{b2}\u{bf}\u{c0}\u{d7}\u{ff}ß\u{2028}\u{2603}\u{93f}€"
                        .chars()
                        .for_each(&mut near)
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn letter_separator_or_number(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
    )
}

/// Consecutive runs of sorted code points, as (first, last).
fn runs(points: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &u in points {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == u => *last = u,
            _ => out.push((u, u)),
        }
    }
    out
}

/// What is wrong with a string under a rule: its length in characters, or the
/// first character the rule does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    Length(usize),
    Char(char),
}

/// A rule on a whole string: 1 to 64 characters of `[A-Za-z0-9_+=,.@-]`, say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRule {
    /// Length in characters.
    pub length: RangeInclusive<usize>,
    pub class: Class,
    /// The characters in words, as messages say them.
    pub words: &'static str,
    /// The pattern as the AWS source writes it, which the tests read independently.
    pub aws_pattern: &'static str,
    pub source: Citation,
}

impl TextRule {
    pub fn min(&self) -> usize {
        *self.length.start()
    }

    pub fn max(&self) -> usize {
        *self.length.end()
    }

    /// The first thing wrong with `s`: its length, then its characters.
    pub fn violation(&self, s: &str) -> Option<Violation> {
        let len = s.chars().count();
        if !self.length.contains(&len) {
            return Some(Violation::Length(len));
        }
        s.chars()
            .find(|c| !self.class.allows(*c))
            .map(Violation::Char)
    }

    /// How many of the class a pattern repeats: exactly the length when it has one
    /// length (`{12}`), else any (`*`) or at least one (`+`), the bounds being the
    /// schema's and the check's.
    fn repeat(&self) -> String {
        match (self.min(), self.max()) {
            (min, max) if min == max => format!("{{{min}}}"),
            (0, _) => "*".into(),
            _ => "+".into(),
        }
    }

    /// The string as a portable pattern, without anchors, for patterns that hold it.
    pub fn unanchored(&self) -> String {
        format!("{}{}", self.class.portable(), self.repeat())
    }

    /// The whole string as a portable pattern.
    pub fn pattern(&self) -> String {
        format!("^{}$", self.unanchored())
    }

    /// The JSON Schema keywords of a string field under this rule (a rule of one
    /// length says it in its pattern alone).
    pub fn schema(&self) -> Value {
        if self.min() == self.max() {
            return json!({ "pattern": self.pattern() });
        }
        let mut rule = json!({ "maxLength": self.max(), "pattern": self.pattern() });
        if self.min() > 0 {
            rule["minLength"] = json!(self.min());
        }
        rule
    }

    /// The whole string as RE2, for Terraform's `regex`.
    pub fn re2_pattern(&self) -> String {
        format!("^{}{}$", self.class.re2(), self.repeat())
    }
}

/// A rule on a whole number of seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondsRule {
    pub seconds: RangeInclusive<u32>,
    pub source: Citation,
}

impl SecondsRule {
    pub fn allows(&self, seconds: u32) -> bool {
        self.seconds.contains(&seconds)
    }

    /// The range in words, as messages say it: `3600 to 43200 seconds (1 to 12 hours)`.
    pub fn words(&self) -> String {
        let (min, max) = (*self.seconds.start(), *self.seconds.end());
        format!(
            "{min} to {max} seconds ({} to {} hours)",
            min / 3600,
            max / 3600
        )
    }

    /// The JSON Schema keywords of an integer field under this rule.
    pub fn schema(&self) -> Value {
        json!({ "minimum": self.seconds.start(), "maximum": self.seconds.end() })
    }
}

/// An IAM path: `/`, or segments of `segment` characters each between slashes, at
/// most `max` characters in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRule {
    pub max: usize,
    pub segment: Class,
    pub words: &'static str,
    pub aws_pattern: &'static str,
    pub source: Citation,
}

impl PathRule {
    pub fn allows(&self, path: &str) -> bool {
        let segment_ok = |seg: &str| !seg.is_empty() && seg.chars().all(|c| self.segment.allows(c));
        path.chars().count() <= self.max
            && path.starts_with('/')
            && path.ends_with('/')
            && (path == "/" || path[1..path.len() - 1].split('/').all(segment_ok))
    }

    pub fn pattern(&self) -> String {
        format!("^/({}+/)*$", self.segment.portable())
    }

    pub fn schema(&self) -> Value {
        json!({ "maxLength": self.max, "pattern": self.pattern() })
    }

    /// The path as RE2, for Terraform's `regex`.
    pub fn re2_pattern(&self) -> String {
        format!("^/({}+/)*$", self.segment.re2())
    }
}

const IAM_API: &str = "2026-11-27";

/// IAM's name characters: `[\w+=,.@-]` (the IAM API Reference's pattern, where `\w`
/// is ASCII letters, digits and `_`).
pub const IAM_NAME_CHARS: Class = Class(&[
    Chars::Range('A', 'Z'),
    Chars::Range('a', 'z'),
    Chars::Range('0', '9'),
    Chars::Each("_+=,.@-"),
]);

const fn iam_name(max: usize, doc: &'static str, url: &'static str) -> TextRule {
    TextRule {
        length: 1..=max,
        class: IAM_NAME_CHARS,
        words: "letters, digits and _+=,.@-",
        aws_pattern: r"[\w+=,.@-]+",
        source: Citation {
            doc,
            url,
            date: IAM_API,
        },
    }
}

pub const ROLE_NAME: TextRule = iam_name(
    64,
    "IAM API Reference, CreateRole, RoleName",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
);
pub const POLICY_NAME: TextRule = iam_name(
    128,
    "IAM API Reference, CreatePolicy, PolicyName",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html",
);
pub const INSTANCE_PROFILE_NAME: TextRule = iam_name(
    128,
    "IAM API Reference, CreateInstanceProfile, InstanceProfileName",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html",
);

/// IAM admits any printable ASCII between slashes in a role's path, but a policy's
/// path only `/` or segments of `[A-Za-z0-9.,+@=_-]` (the CloudFormation registry
/// schema of AWS::IAM::ManagedPolicy, which cfn-lint 1.58.0 reads, and botocore's
/// iam service-2.json `policyPathType`, read 2026-12-06). The path applies to the
/// policies too, so the stricter rule holds for every resource; a policy ARN's path
/// is held to it as well (`policy_arn_pattern`), since IAM could not have made a
/// policy under any other.
pub const PATH: PathRule = PathRule {
    max: 512,
    segment: Class(&[
        Chars::Range('A', 'Z'),
        Chars::Range('a', 'z'),
        Chars::Range('0', '9'),
        Chars::Each(".,+@=_-"),
    ]),
    words: "letters, digits and .,+@=_-",
    aws_pattern: r"^((/[A-Za-z0-9\.,\+@=_-]+)*)/$",
    source: Citation {
        doc: "CloudFormation Template Reference, AWS::IAM::ManagedPolicy, Path",
        url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html",
        date: IAM_API,
    },
};

/// A role's description: IAM refuses U+00A0 (no-break space) and U+007F to U+009F.
pub const DESCRIPTION: TextRule = TextRule {
    length: 0..=1000,
    class: Class(&[
        Chars::Each("\t\n\r"),
        Chars::Range('\u{20}', '\u{7e}'),
        Chars::Range('\u{a1}', '\u{ff}'),
    ]),
    words: "tab, newlines, printable ASCII and Latin-1 only",
    aws_pattern: r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*",
    source: Citation {
        doc: "IAM API Reference, CreateRole, Description",
        url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
        date: IAM_API,
    },
};

/// IAM's tag characters: letters, separators and numbers of any script, and six
/// marks. Combining marks (Mn, Mc, Me) are not letters, so IAM refuses "हिंदी".
pub const TAG_CHARS: Class = Class(&[Chars::LettersSeparatorsNumbers, Chars::Each("_.:/=+@-")]);

const TAG_PAGE: Citation = Citation {
    doc: "IAM API Reference, Tag",
    url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html",
    date: IAM_API,
};

pub const TAG_KEY: TextRule = TextRule {
    length: 1..=128,
    class: TAG_CHARS,
    words: "IAM tags allow letters, separators (such as spaces) and numbers of any script, and _.:/=+-@; combining marks are not letters",
    aws_pattern: r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+",
    source: TAG_PAGE,
};

pub const TAG_VALUE: TextRule = TextRule {
    length: 0..=256,
    ..TAG_KEY
};

/// An AWS account ID: twelve digits, leading zeros included.
pub const ACCOUNT_ID: TextRule = TextRule {
    length: 12..=12,
    class: Class(&[Chars::Range('0', '9')]),
    words: "12 digits",
    aws_pattern: r"\d{12}",
    source: Citation {
        doc: "AWS Organizations API Reference, DescribeAccount, AccountId",
        url: "https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeAccount.html",
        date: "2026-12-07",
    },
};

/// How long a role's sessions may last (`max_session_duration`): 1 to 12 hours.
pub const SESSION_DURATION: SecondsRule = SecondsRule {
    seconds: 3600..=43200,
    source: Citation {
        doc: "IAM API Reference, CreateRole, MaxSessionDuration",
        url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
        date: IAM_API,
    },
};

/// A managed policy ARN of the partitions `partitions` (one ARN id, or `(a|b)`):
/// `arn:PARTITION:iam::(aws|ACCOUNT):policy/[PATH/]NAME`, the path's segments those
/// of `PATH`, the name a policy name. The same text is a portable pattern and RE2.
/// (The path's length, at most `PATH.max`, is the compiler's to check.)
pub fn policy_arn_pattern(partitions: &str) -> String {
    let name = &POLICY_NAME;
    format!(
        r"^arn:{partitions}:iam::(aws|{}):policy/({}+/)*{}{{{},{}}}$",
        ACCOUNT_ID.unanchored(),
        PATH.segment.portable(),
        name.class.portable(),
        name.min(),
        name.max()
    )
}

/// `s` as a pattern that matches it literally. Only syntax characters are escaped:
/// ECMA-262's unicode mode, which editors use, rejects escapes such as `\-` outside
/// a character class.
pub fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$/".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// A pattern that matches any one of `items` literally: `a|b\.c`.
pub fn alternatives(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| regex_escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// Every rule, named, for the tests that derive boundary values from each.
pub const TEXT_RULES: &[(&str, TextRule)] = &[
    ("role name", ROLE_NAME),
    ("policy name", POLICY_NAME),
    ("instance profile name", INSTANCE_PROFILE_NAME),
    ("description", DESCRIPTION),
    ("tag key", TAG_KEY),
    ("tag value", TAG_VALUE),
    ("account ID", ACCOUNT_ID),
];

mod s3;
pub use s3::{BUCKET_NAME, BucketNameRule, KMS_KEY_ARN, KmsKeyArnRule};

#[cfg(test)]
mod tests;
