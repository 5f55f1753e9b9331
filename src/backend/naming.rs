//! Names the backends derive from the model's identifier stems (`SSMInstanceProfile`):
//! one word splitter behind every naming style, and one allocator of unique names.
//! Spec strings never become names here; the stems are ASCII letters and digits.

use std::collections::HashSet;

use foldhash::fast::RandomState;

/// Splits a name into words: `SSMInstanceProfileS3Policy2` -> `SSM`, `Instance`,
/// `Profile`, `S3`, `Policy2`. Anything but an ASCII letter or digit separates words;
/// a new word starts at an upper-case letter after a lower-case letter or a digit,
/// and at the last capital of an acronym followed by lower case (`SSMInstance`).
/// Digits stay with the word before them.
pub fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for run in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty())
    {
        // ASCII only, so byte indices are character indices.
        let bytes = run.as_bytes();
        let mut start = 0;
        for i in 1..bytes.len() {
            let (prev, c) = (bytes[i - 1], bytes[i]);
            let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let starts_word = c.is_ascii_uppercase()
                && (prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower));
            if starts_word {
                out.push(&run[start..i]);
                start = i;
            }
        }
        out.push(&run[start..]);
    }
    out
}

/// `SSMInstanceProfileS3Policy` -> `ssm_instance_profile_s3_policy`: Terraform
/// addresses, Python members. A name that would start with a digit, or be empty,
/// gets `p_` in front, so it is always an identifier.
pub fn snake_case(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if joined.is_empty() || joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("p_{joined}")
    } else {
        joined
    }
}

/// `SSMInstanceProfileRole` -> `ssmInstanceProfileRole`: TypeScript members.
pub fn lower_camel_case(name: &str) -> String {
    let mut out = String::new();
    for (i, word) in words(name).iter().enumerate() {
        let lower = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            out.push_str(&lower[..1].to_ascii_uppercase());
            out.push_str(&lower[1..]);
        }
    }
    out
}

/// Hands out names within one namespace, never the same one twice, first come first
/// served: the stems are unique, but two that differ only in letter case
/// (`SSMProfile`, `SsmProfile`) give the same name in a style that folds case; the
/// later one gets `2`, `3`, ... (after `separator`), so names stay stable while
/// later profiles are added.
pub struct Unique {
    separator: &'static str,
    /// Never iterated: foldhash, seeded at random per process, whose order never
    /// shows (a fleet's Terraform configuration claims 6,500 names, and a `BTreeSet`
    /// compared each with a dozen others).
    taken: HashSet<String, RandomState>,
}

impl Unique {
    pub fn new(separator: &'static str) -> Unique {
        Unique {
            separator,
            taken: HashSet::default(),
        }
    }

    /// `base`, or `base` with the first free number after it.
    pub fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{}{n}", self.separator);
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Top-level modules a generated CDK app imports, directly or through its
/// dependencies: Python puts the app's folder first on `sys.path`, so a generated
/// module of one of these names beside it would be imported in their place (a spec
/// `typing.yaml` would break `aws_cdk`). Python 3.11's `sys.stdlib_module_names`
/// (https://docs.python.org/3/library/sys.html#sys.stdlib_module_names; it includes
/// modules 3.12 removed), and the packages `pip install aws-cdk-lib==2.275.0
/// constructs==10.8.1` installs (scripts/install-tools), with `six`. Compared without
/// case: macOS and Windows file systems find `Typing.py` for `typing`. Sorted without
/// case, for a binary search: every path of a tree looks a stem up here, and the
/// list read through was 3% of the seed spec's instructions (BENCHMARKS.md, issue 26).
#[rustfmt::skip]
const PYTHON_IMPORTED: &[&str] = &[
    "__future__", "_abc", "_aix_support", "_ast", "_asyncio", "_bisect", "_blake2",
    "_bootsubprocess", "_bz2", "_codecs", "_codecs_cn", "_codecs_hk", "_codecs_iso2022",
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_collections", "_collections_abc",
    "_compat_pickle", "_compression", "_contextvars", "_crypt", "_csv", "_ctypes",
    "_curses", "_curses_panel", "_datetime", "_dbm", "_decimal", "_distutils_hack",
    "_elementtree", "_frozen_importlib", "_frozen_importlib_external", "_functools",
    "_gdbm", "_hashlib", "_heapq", "_imp", "_io", "_json", "_locale", "_lsprof", "_lzma",
    "_markupbase", "_md5", "_msi", "_multibytecodec", "_multiprocessing", "_opcode",
    "_operator", "_osx_support", "_overlapped", "_pickle", "_posixshmem",
    "_posixsubprocess", "_py_abc", "_pydecimal", "_pyio", "_queue", "_random", "_scproxy",
    "_sha1", "_sha256", "_sha3", "_sha512", "_signal", "_sitebuiltins", "_socket",
    "_sqlite3", "_sre", "_ssl", "_stat", "_statistics", "_string", "_strptime", "_struct",
    "_symtable", "_thread", "_threading_local", "_tkinter", "_tokenize", "_tracemalloc",
    "_typing", "_uuid", "_warnings", "_weakref", "_weakrefset", "_winapi", "_zoneinfo",
    "abc", "aifc", "antigravity", "argparse", "array", "ast", "asynchat", "asyncio",
    "asyncore", "atexit", "attr", "attrs", "audioop", "aws_cdk", "base64", "bdb",
    "binascii", "bisect", "builtins", "bz2", "calendar", "cattr", "cattrs", "cgi", "cgitb",
    "chunk", "cmath", "cmd", "code", "codecs", "codeop", "collections", "colorsys",
    "compileall", "concurrent", "configparser", "constructs", "contextlib", "contextvars",
    "copy", "copyreg", "cProfile", "crypt", "csv", "ctypes", "curses", "dataclasses",
    "datetime", "dateutil", "dbm", "decimal", "difflib", "dis", "distutils", "doctest",
    "email", "encodings", "ensurepip", "enum", "errno", "faulthandler", "fcntl", "filecmp",
    "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gc", "genericpath",
    "getopt", "getpass", "gettext", "glob", "graphlib", "grp", "gzip", "hashlib", "heapq",
    "hmac", "html", "http", "idlelib", "imaplib", "imghdr", "imp", "importlib", "inspect",
    "io", "ipaddress", "itertools", "jsii", "json", "keyword", "lib2to3", "linecache",
    "locale", "logging", "lzma", "mailbox", "mailcap", "marshal", "math", "mimetypes",
    "mmap", "modulefinder", "msilib", "msvcrt", "multiprocessing", "netrc", "nis",
    "nntplib", "nt", "ntpath", "nturl2path", "numbers", "opcode", "operator", "optparse",
    "os", "ossaudiodev", "pathlib", "pdb", "pickle", "pickletools", "pip", "pipes",
    "pkg_resources", "pkgutil", "platform", "plistlib", "poplib", "posix", "posixpath",
    "pprint", "profile", "pstats", "pty", "publication", "pwd", "py_compile", "pyclbr",
    "pydoc", "pydoc_data", "pyexpat", "queue", "quopri", "random", "re", "readline",
    "reprlib", "resource", "rlcompleter", "runpy", "sched", "secrets", "select",
    "selectors", "setuptools", "shelve", "shlex", "shutil", "signal", "site", "six",
    "smtpd", "smtplib", "sndhdr", "socket", "socketserver", "spwd", "sqlite3",
    "sre_compile", "sre_constants", "sre_parse", "ssl", "stat", "statistics", "string",
    "stringprep", "struct", "subprocess", "sunau", "symtable", "sys", "sysconfig", "syslog",
    "tabnanny", "tarfile", "telnetlib", "tempfile", "termios", "textwrap", "this",
    "threading", "time", "timeit", "tkinter", "token", "tokenize", "tomllib", "trace",
    "traceback", "tracemalloc", "tty", "turtle", "turtledemo", "typeguard", "types",
    "typing", "typing_extensions", "tzdata", "unicodedata", "unittest", "urllib", "uu",
    "uuid", "venv", "warnings", "wave", "weakref", "webbrowser", "winreg", "winsound",
    "wsgiref", "xdrlib", "xml", "xmlrpc", "zipapp", "zipfile", "zipimport", "zlib",
    "zoneinfo",
];

/// The Python module name for a spec's file stem: Python imports a module only by
/// an identifier that is not a keyword. Every character other than an ASCII letter,
/// digit or `_` becomes `_` (`ssm-profile` -> `ssm_profile`), a leading digit gets
/// `spec_` before it, and a keyword or a module the app imports (`PYTHON_IMPORTED`)
/// gets `_` after it (`class` -> `class_`, `typing` -> `typing_`). Any other stem
/// that is already such an identifier is kept.
pub fn python_module(stem: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "spec_");
    }
    let imported = PYTHON_IMPORTED
        .binary_search_by(|m| {
            m.bytes()
                .map(|b| b.to_ascii_lowercase())
                .cmp(name.bytes().map(|b| b.to_ascii_lowercase()))
        })
        .is_ok();
    if KEYWORDS.contains(&name.as_str()) || imported {
        name.push('_');
    }
    name
}

/// The TypeScript module name (file name without `.ts`) for a spec's file stem:
/// ASCII letters, digits, `_`, `-` and `.` are kept, anything else becomes `_`, so
/// `import ... from './NAME'` needs no quoting or URL escaping on any system; and a
/// name TypeScript would take for a declaration file (`x.d` -> `x.d.ts`) has its
/// dots replaced by `_`.
pub fn typescript_module(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".d") || lower.contains(".d.") {
        name.replace('.', "_")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary search in `python_module` finds every name of the list, in any
    /// case, only if the list is sorted without case and has no name twice.
    #[test]
    fn python_imported_modules_are_sorted_without_case() {
        let lower = |m: &str| m.to_ascii_lowercase();
        for pair in PYTHON_IMPORTED.windows(2) {
            assert!(lower(pair[0]) < lower(pair[1]), "{pair:?}");
        }
        for m in PYTHON_IMPORTED {
            let stem = m.to_ascii_uppercase();
            if stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !stem.starts_with(|c: char| c.is_ascii_digit())
            {
                assert_eq!(python_module(&stem), format!("{stem}_"), "{m}");
            }
        }
        assert_eq!(python_module("zzz"), "zzz");
        assert_eq!(python_module("aaa"), "aaa");
    }

    #[test]
    fn words_split_at_case_changes_acronyms_and_separators() {
        for (name, expected) in [
            (
                "SSMInstanceProfileS3Policy2",
                &["SSM", "Instance", "Profile", "S3", "Policy2"][..],
            ),
            (
                "AmazonInspector2ManagedCispolicy",
                &["Amazon", "Inspector2", "Managed", "Cispolicy"],
            ),
            ("my-policy.v2", &["my", "policy", "v2"]),
            ("Ops_Extras", &["Ops", "Extras"]),
            ("AB", &["AB"]),
            ("ABc", &["A", "Bc"]),
            ("-é-", &[]),
        ] {
            assert_eq!(words(name), expected, "{name}");
        }
    }

    #[test]
    fn snake_case_splits_words_acronyms_and_digits() {
        for (id, expected) in [
            ("SSMInstanceProfile", "ssm_instance_profile"),
            (
                "SSMInstanceProfileS3Policy",
                "ssm_instance_profile_s3_policy",
            ),
            (
                "AmazonSSMManagedInstanceCore",
                "amazon_ssm_managed_instance_core",
            ),
            (
                "CloudWatchAgentServerPolicy",
                "cloud_watch_agent_server_policy",
            ),
            (
                "AmazonInspector2ManagedCispolicy",
                "amazon_inspector2_managed_cispolicy",
            ),
            ("WebTier", "web_tier"),
            ("P1st", "p1st"),
            ("my-policy.v2", "my_policy_v2"),
            ("Ops_Extras", "ops_extras"),
            ("9lives", "p_9lives"),
            ("", "p_"),
            ("SourceArn", "source_arn"),
        ] {
            assert_eq!(snake_case(id), expected, "{id}");
        }
    }

    #[test]
    fn lower_camel_case_lowers_the_first_word_and_capitalises_the_rest() {
        for (id, expected) in [
            ("SSMInstanceProfileRole", "ssmInstanceProfileRole"),
            ("SsmBoundedS3Policy2", "ssmBoundedS3Policy2"),
            ("P1stInstanceProfile", "p1stInstanceProfile"),
            ("AB", "ab"),
            ("RoleArn", "roleArn"),
        ] {
            assert_eq!(lower_camel_case(id), expected, "{id}");
        }
    }

    #[test]
    fn names_are_disambiguated_in_claim_order() {
        let mut names = Unique::new("_");
        assert_eq!(names.claim("ssm"), "ssm");
        assert_eq!(names.claim("ssm"), "ssm_2");
        assert_eq!(names.claim("ssm"), "ssm_3");
        assert_eq!(names.claim("other"), "other");
        let mut members = Unique::new("");
        assert_eq!(members.claim("ssmx_role"), "ssmx_role");
        assert_eq!(members.claim("ssmx_role"), "ssmx_role2");
    }
}
