//! The journal of a tree's build and the names this tool gives its own files in an
//! `--out-dir` tree: what it writes, and the exact patterns recovery and `check`
//! recognise (anything else in the tree is not ours, and never acted on).

use std::fs::File;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use super::lock;

/// How a tree's journal files are named: `PREFIX` + six letters or digits +
/// `SUFFIX`, in the tree's root.
pub const JOURNAL_PREFIX: &str = ".ssm-profile-build-";
pub const JOURNAL_SUFFIX: &str = ".journal";
/// A journal being created (renamed to its `.journal` name once locked).
pub(super) const NEW_SUFFIX: &str = ".new";

/// How many letters or digits the random part of a name holds (tempfile's default).
const RANDOM_LEN: usize = 6;
/// The longest journal line a build writes is two paths of the plan and a word;
/// a longer one was not written by a build.
const MAX_LINE: u64 = 16 << 10;

/// Whether `s` is a random part of one of our names: six ASCII letters or digits.
fn is_random(s: &str) -> bool {
    s.len() == RANDOM_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether `name` is exactly the name of a journal a build gives it.
pub(super) fn is_journal_name(name: &str) -> bool {
    name.strip_prefix(JOURNAL_PREFIX)
        .and_then(|n| n.strip_suffix(JOURNAL_SUFFIX))
        .is_some_and(is_random)
}

/// Whether `name` is exactly the name of a journal being created.
pub(super) fn is_new_journal_name(name: &str) -> bool {
    name.strip_prefix(JOURNAL_PREFIX)
        .and_then(|n| n.strip_suffix(NEW_SUFFIX))
        .is_some_and(is_random)
}

/// Whether `name` looks like one of our journals (the prefix and a journal's or a
/// new journal's suffix), exact or not: such a file is either ours or planted.
pub(super) fn looks_like_journal(name: &str) -> bool {
    name.starts_with(JOURNAL_PREFIX)
        && (name.ends_with(JOURNAL_SUFFIX) || name.ends_with(NEW_SUFFIX))
}

/// Whether `name` is exactly a temporary file this tool makes beside a file
/// named `dest_name`: `.DEST_NAME.XXXXXX.tmp`.
pub fn is_temporary_of(name: &str, dest_name: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|n| n.strip_prefix(dest_name))
        .and_then(|n| n.strip_prefix('.'))
        .and_then(|n| n.strip_suffix(".tmp"))
        .is_some_and(is_random)
}

/// A fresh temporary name beside a file named `dest_name`, unpredictable (std's
/// `RandomState` keys are seeded from the OS), chosen before the file exists so
/// that the journal can name it first.
pub(super) fn temporary_name(dest_name: &str) -> String {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static COUNT: AtomicU64 = AtomicU64::new(0);
    // The process's id, asked once (a `getpid` per staged file otherwise).
    static PROCESS: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let seed = (
        COUNT.fetch_add(1, Ordering::Relaxed),
        *PROCESS.get_or_init(std::process::id),
    );
    let mut bits = std::hash::RandomState::new().hash_one(seed);
    let mut random = String::with_capacity(RANDOM_LEN);
    for _ in 0..RANDOM_LEN {
        random.push(ALPHABET[(bits % ALPHABET.len() as u64) as usize] as char);
        bits /= ALPHABET.len() as u64;
    }
    format!(".{dest_name}.{random}.tmp")
}

/// The journal line that says `tmp` (relative to the tree) is about to be written
/// and renamed over `dest`.
pub(super) fn stage_line(tmp: &str, dest: &str) -> String {
    format!("stage\t{tmp}\t{dest}\n")
}

/// What a journal says: its (temporary file, destination) pairs, relative to the
/// tree, in the order written, and whether renaming had started.
#[derive(Debug, Default)]
pub(super) struct Entries {
    pub stages: Vec<(String, String)>,
    pub committed: bool,
}

/// Why a journal's contents are not what a build writes (its 1-based line).
#[derive(Debug)]
pub(super) enum Unreadable {
    Io(std::io::Error),
    Malformed { line: usize, why: &'static str },
}

/// Reads a journal, refusing anything a build would not have written: a line
/// that is not `stage\tTMP\tDEST` or `commit`, a line after `commit`, more stages
/// than `max_stages` (a build stages each planned file at most once), an
/// over-long line. Only the last line may be cut short (the stop came while it was
/// written): it is ignored, since what it announced was not done yet.
pub(super) fn read(file: &File, max_stages: usize) -> Result<Entries, Unreadable> {
    let mut entries = Entries::default();
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        let n = (&mut reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .map_err(Unreadable::Io)?;
        let malformed = |why| Err(Unreadable::Malformed { line: number, why });
        if n == 0 {
            break;
        }
        let Some(text) = line.strip_suffix(b"\n") else {
            if n as u64 == MAX_LINE {
                return malformed("the line is longer than any a build writes");
            }
            // Cut short: nothing after it happened. A last line is all there is.
            break;
        };
        let Ok(text) = std::str::from_utf8(text) else {
            return malformed("the line is not UTF-8");
        };
        if entries.committed {
            return malformed("a build writes nothing after `commit`");
        }
        let mut parts = text.split('\t');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("stage"), Some(tmp), Some(dest), None) => {
                if entries.stages.len() == max_stages {
                    return malformed("more files than this build writes");
                }
                entries.stages.push((tmp.to_string(), dest.to_string()));
            }
            (Some("commit"), None, None, None) => entries.committed = true,
            _ => return malformed("not a line a build writes"),
        }
    }
    Ok(entries)
}

/// The journals of builds in the tree at `root`, each with whether its build is
/// still running (its lock is held). Every file named like a journal is listed.
pub fn journals(root: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(JOURNAL_PREFIX) && name.ends_with(JOURNAL_SUFFIX);
        if !ours {
            continue;
        }
        if !entry.file_type()?.is_file() {
            // Not a file a build made: reported, never opened.
            found.push((entry.path(), false));
            continue;
        }
        // A build that ends between the listing and here removes its journal.
        let file = match open_no_follow(&entry.path()) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let running = !lock(&file, false, false)?;
        if removed(&file)? {
            continue;
        }
        found.push((entry.path(), running));
    }
    found.sort();
    Ok(found)
}

/// Opens `path` to read without following a symbolic link at its last component
/// and without waiting on a FIFO.
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(
            (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
        );
    }
    options.open(path)
}

/// Whether the open journal `file` was removed from the tree (its build ended).
pub(super) fn removed(file: &File) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(file.metadata()?.nlink() == 0)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(false)
    }
}
