use super::*;
use std::path::PathBuf;

#[test]
fn a_dropped_transaction_leaves_nothing_behind() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("a/b/file.txt");
    {
        let mut t = Transaction::default();
        t.stage(&path, b"x").unwrap();
        assert!(root.path().join("a/b").is_dir());
    }
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
}

#[test]
fn commit_replaces_and_leaves_no_temporaries() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("f.txt");
    std::fs::write(&path, "old").unwrap();
    write_file(&path, b"new", Durability::Atomic).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
}

#[test]
fn create_new_never_replaces() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("spec.yaml");
    create_new(&path, b"first").unwrap();
    let e = create_new(&path, b"second").unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
}

#[test]
fn temporary_names_are_unpredictable_and_planted_links_are_not_followed() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("f.txt");
    let victim = root.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    // The name the old code used: `.NAME.tmp-PID`.
    let planted = root
        .path()
        .join(format!(".f.txt.tmp-{}", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let mut t = Transaction::default();
    t.stage(&path, b"a").unwrap();
    t.stage(&path, b"b").unwrap();
    let names: Vec<String> = t
        .staged
        .iter()
        .map(|(tmp, _)| {
            tmp.path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_ne!(names[0], names[1]);
    for n in &names {
        assert!(
            n.starts_with(".f.txt.") && n.ends_with(".tmp") && n.len() == 17,
            "{n}"
        );
    }
    drop(t);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
}

#[test]
fn concurrent_stagings_create_the_same_folders_without_failing() {
    let root = tempfile::tempdir().unwrap();
    let barrier = std::sync::Barrier::new(20);
    std::thread::scope(|scope| {
        for i in 0..20 {
            let (root, barrier) = (root.path(), &barrier);
            scope.spawn(move || {
                barrier.wait();
                let mut t = Transaction::default();
                t.stage(&root.join(format!("a/b/c/d/f{i}")), b"x").unwrap();
                t.commit().unwrap();
            });
        }
    });
    assert_eq!(
        std::fs::read_dir(root.path().join("a/b/c/d"))
            .unwrap()
            .count(),
        20
    );
}

fn journal(root: &Path, text: &str) -> PathBuf {
    let path = root.join(format!("{JOURNAL_PREFIX}Test01{JOURNAL_SUFFIX}"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Recovers the tree at `root` as a build planning `planned` would: locked,
/// checked, then applied.
fn recover(root: &Path, planned: &[&str]) -> Result<Recovery, Refusal> {
    let lock = OutDirLock::acquire(root, Access::Exclusive, &mut || panic!("not held"))
        .unwrap()
        .unwrap();
    let planned = planned.iter().copied().collect();
    let plan = plan_recovery(&lock, &planned)?;
    Ok(plan.apply().unwrap())
}

/// The refusal's file to delete and its reason.
fn refusal(result: Result<Recovery, Refusal>) -> (PathBuf, String) {
    match result {
        Err(Refusal::Untrusted { delete, why }) => (delete, why),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn recover_rolls_a_committed_build_forward_and_an_uncommitted_one_back() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let planned = ["d/a", "d/b"];
    std::fs::create_dir(r.join("d")).unwrap();
    std::fs::write(r.join("d/.a.XXXXXX.tmp"), "new a").unwrap();
    std::fs::write(r.join("d/a"), "old a").unwrap();
    std::fs::write(r.join("d/b"), "new b").unwrap();
    let j = journal(
        r,
        "stage\td/.b.YYYYYY.tmp\td/b\nstage\td/.a.XXXXXX.tmp\td/a\ncommit\n",
    );
    let done = recover(r, &planned).unwrap();
    assert_eq!(done.finished, vec![r.join("d/a")]);
    assert_eq!(std::fs::read_to_string(r.join("d/a")).unwrap(), "new a");
    assert!(!j.exists() && !r.join("d/.a.XXXXXX.tmp").exists());

    std::fs::write(r.join("d/.a.ZZZZZZ.tmp"), "half").unwrap();
    let j = journal(r, "stage\td/.a.ZZZZZZ.tmp\td/a\nsta");
    let done = recover(r, &planned).unwrap();
    assert_eq!(done.removed, vec![r.join("d/.a.ZZZZZZ.tmp")]);
    assert_eq!(std::fs::read_to_string(r.join("d/a")).unwrap(), "new a");
    assert!(!j.exists());
    assert_eq!(recover(r, &planned).unwrap(), Recovery::default());
}

/// Issue 20 item 1: a journal is a file in the tree, so everything it says is
/// checked; anything a build of this plan would not have written is refused,
/// naming the file to delete, and nothing is touched.
#[test]
fn recover_refuses_what_no_build_of_the_plan_wrote() {
    let planned = ["d/a", "d/b"];
    let cases: &[(&str, &str)] = &[
        (
            "stage\t../escape\td/a\ncommit\n",
            "line 1 names a temporary file",
        ),
        (
            "stage\td/.a.XXXXXX.tmp\t../../x\ncommit\n",
            "line 1 names a destination this build does not write",
        ),
        (
            "stage\td/.a.XXXXXX.tmp\td/c\n",
            "line 1 names a destination this build does not write",
        ),
        (
            "stage\tpayload\td/a\ncommit\n",
            "line 1 names a temporary file that is not beside",
        ),
        (
            "stage\te/.a.XXXXXX.tmp\td/a\n",
            "line 1 names a temporary file that is not beside",
        ),
        (
            "stage\td/.b.XXXXXX.tmp\td/a\n",
            "line 1 names a temporary file that is not beside",
        ),
        (
            "stage\td/.a.XXXXXXX.tmp\td/a\n",
            "line 1 names a temporary file that is not beside",
        ),
        (
            "stage\td/.a.XXXXXX.tmp\td/a\nstage\td/.a.YYYYYY.tmp\td/a\n",
            "line 2 names a destination a line before it named",
        ),
        (
            "commit\nstage\td/.a.XXXXXX.tmp\td/a\n",
            "line 2: a build writes nothing after `commit`",
        ),
        ("remove\td/a\n", "line 1: not a line a build writes"),
        (
            "stage\td/.a.XXXXXX.tmp\td/a\textra\n",
            "line 1: not a line a build writes",
        ),
        (
            "stage\td/.a.XXXXXX.tmp\td/a\nstage\td/.b.XXXXXX.tmp\td/b\nstage\td/.a.YYYYYY.tmp\td/a\n",
            "line 3: more files than this build writes",
        ),
    ];
    for (text, expected) in cases {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir(r.join("d")).unwrap();
        std::fs::write(r.join("d/.a.XXXXXX.tmp"), "planted").unwrap();
        std::fs::write(r.join("payload"), "planted").unwrap();
        let j = journal(r, text);
        let (delete, why) = refusal(recover(r, &planned));
        assert_eq!(delete, j, "{text:?}");
        assert!(why.contains(expected), "{text:?}: {why}");
        assert_eq!(
            std::fs::read_to_string(r.join("d/.a.XXXXXX.tmp")).unwrap(),
            "planted"
        );
        assert!(
            j.exists() && !r.join("d/a").exists(),
            "{text:?}: nothing touched"
        );
    }
}

/// Issue 20 item 1: a link anywhere on the way (or at the temporary file, or at the
/// journal) is never followed: the recipe wrote `outside/.git/hooks/pre-commit`.
#[test]
fn recover_never_follows_a_symbolic_link() {
    let root = tempfile::tempdir().unwrap();
    let (tree, outside) = (root.path().join("tree"), root.path().join("outside"));
    std::fs::create_dir_all(outside.join("d")).unwrap();
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::write(outside.join("d/.a.XXXXXX.tmp"), "outside").unwrap();
    std::fs::write(outside.join("victim"), "keep").unwrap();
    std::os::unix::fs::symlink(&outside, tree.join("esc")).unwrap();
    std::os::unix::fs::symlink(outside.join("d"), tree.join("d")).unwrap();
    // Through a linked folder, committed (a rename) and not (a removal).
    for text in [
        "stage\td/.a.XXXXXX.tmp\td/a\ncommit\n",
        "stage\td/.a.XXXXXX.tmp\td/a\n",
    ] {
        let j = journal(&tree, text);
        let (delete, why) = refusal(recover(&tree, &["d/a", "esc/d/a"]));
        assert_eq!(delete, j);
        assert!(
            why.contains("a symbolic link or a file where a folder belongs"),
            "{why}"
        );
        assert!(why.contains("recovery never follows a link"), "{why}");
    }
    // A linked temporary file.
    std::fs::remove_file(tree.join("d")).unwrap();
    std::fs::create_dir(tree.join("d")).unwrap();
    std::os::unix::fs::symlink(outside.join("victim"), tree.join("d/.a.XXXXXX.tmp")).unwrap();
    let j = journal(&tree, "stage\td/.a.XXXXXX.tmp\td/a\ncommit\n");
    let (delete, why) = refusal(recover(&tree, &["d/a"]));
    assert_eq!(delete, j);
    assert!(why.contains("is not a regular file"), "{why}");
    // A linked journal, and a journal under a name no build gives one.
    std::fs::remove_file(&j).unwrap();
    std::fs::write(outside.join("j"), "stage\td/.a.XXXXXX.tmp\td/a\ncommit\n").unwrap();
    std::os::unix::fs::symlink(outside.join("j"), &j).unwrap();
    assert_eq!(refusal(recover(&tree, &["d/a"])).0, j);
    std::fs::remove_file(&j).unwrap();
    let odd = tree.join(format!("{JOURNAL_PREFIX}BBBBBBB{JOURNAL_SUFFIX}"));
    std::fs::write(&odd, "commit\n").unwrap();
    assert_eq!(refusal(recover(&tree, &["d/a"])).0, odd);
    std::fs::remove_file(&odd).unwrap();
    // A linked temporary file that no journal names is refused too, never removed.
    let (delete, _) = refusal(recover(&tree, &["d/a"]));
    assert_eq!(delete, tree.join("d/.a.XXXXXX.tmp"));
    assert!(tree.join("d/.a.XXXXXX.tmp").is_symlink());
    assert_eq!(
        std::fs::read_to_string(outside.join("victim")).unwrap(),
        "keep"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("d/.a.XXXXXX.tmp")).unwrap(),
        "outside"
    );
    assert!(!outside.join("d/a").exists() && !outside.join("a").exists());
}

/// Issue 20 item 4: what a stopped build leaves that no journal names (a temporary
/// file made before its journal line by older versions, a journal never given its
/// name) is removed, of our own patterns only; other files are the user's.
#[test]
fn recover_removes_our_leftovers_and_nothing_else() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    std::fs::create_dir(r.join("d")).unwrap();
    for name in [
        "d/.a.AAAAAA.tmp",
        "d/.b.BBBBBB.tmp",
        ".ssm-profile-build-CCCCCC.new",
    ] {
        std::fs::write(r.join(name), "left").unwrap();
    }
    let theirs = [
        "d/.c.AAAAAA.tmp",
        "d/.a.AAAAAAA.tmp",
        "d/.a.AAAAAA.tmp.bak",
        "d/notes",
        ".hidden",
    ];
    for name in theirs {
        std::fs::write(r.join(name), "theirs").unwrap();
    }
    let done = recover(r, &["d/a", "d/b"]).unwrap();
    let mut removed = done.removed;
    removed.sort();
    assert_eq!(
        removed,
        vec![
            r.join(".ssm-profile-build-CCCCCC.new"),
            r.join("d/.a.AAAAAA.tmp"),
            r.join("d/.b.BBBBBB.tmp")
        ]
    );
    for name in theirs {
        assert!(r.join(name).exists(), "{name}");
    }
}

/// The race of issue 10 item 15: a build that ends (removing its journal) after
/// another listed it. Its open journal is then unlinked: `removed` says so, and
/// recovery must take that as a finished build, not an error.
#[cfg(unix)]
#[test]
fn a_journal_removed_after_it_was_opened_is_a_finished_build() {
    let root = tempfile::tempdir().unwrap();
    let path = journal(root.path(), "stage\tx.tmp\tx\ncommit\n");
    let file = std::fs::File::open(&path).unwrap();
    assert!(!journal::removed(&file).unwrap());
    std::fs::remove_file(&path).unwrap();
    assert!(journal::removed(&file).unwrap());
}

/// Issue 20 item 4: the journal names each temporary file before it exists.
#[test]
fn a_journaled_stage_names_its_temporary_file_before_creating_it() {
    let root = tempfile::tempdir().unwrap();
    let mut t = Transaction::journaled(root.path()).unwrap();
    t.stage(&root.path().join("d/f"), b"x").unwrap();
    let (journal, _) = journals(root.path()).unwrap().remove(0);
    let text = std::fs::read_to_string(journal).unwrap();
    let (tmp, dest) = text
        .strip_prefix("stage\t")
        .unwrap()
        .trim_end()
        .split_once('\t')
        .unwrap();
    assert_eq!(dest, "d/f");
    assert!(
        is_temporary_of(tmp.strip_prefix("d/").unwrap(), "f"),
        "{tmp}"
    );
    assert!(root.path().join(tmp).is_file());
}

#[test]
fn a_running_build_is_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let mut t = Transaction::journaled(root.path()).unwrap();
    t.stage(&root.path().join("f"), b"x").unwrap();
    assert_eq!(journals(root.path()).unwrap().len(), 1);
    assert!(journals(root.path()).unwrap()[0].1, "locked: running");
    assert_eq!(recover(root.path(), &["f"]).unwrap(), Recovery::default());
    t.commit().unwrap();
    assert_eq!(journals(root.path()).unwrap(), vec![]);
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
}

#[test]
fn a_synced_commit_writes_the_same_tree() {
    let root = tempfile::tempdir().unwrap();
    let mut t = Transaction::journaled(root.path())
        .unwrap()
        .with_durability(Durability::Synced);
    t.stage(&root.path().join("a/b/f"), b"x").unwrap();
    t.stage(&root.path().join("g"), b"y").unwrap();
    let done = t.commit().unwrap();
    assert_eq!(done.len(), 2);
    assert_eq!(std::fs::read(root.path().join("a/b/f")).unwrap(), b"x");
    assert_eq!(journals(root.path()).unwrap(), vec![]);
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 2);
    write_file(&root.path().join("g"), b"z", Durability::Synced).unwrap();
    assert_eq!(std::fs::read(root.path().join("g")).unwrap(), b"z");
}

/// A large file reaches the kernel in calls of at most `WRITE_PIECE` bytes (a
/// single call made fleet-1000's Terraform files ten times slower to write), and
/// arrives whole and in order.
#[test]
fn a_large_file_is_written_in_pieces_and_arrives_whole() {
    use super::transaction::{WRITE_PIECE, write_in_pieces};
    struct Calls(Vec<usize>, Vec<u8>);
    impl std::io::Write for Calls {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.len());
            self.1.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let contents: Vec<u8> = (0..2 * WRITE_PIECE + 3).map(|i| (i % 251) as u8).collect();
    let mut calls = Calls(Vec::new(), Vec::new());
    write_in_pieces(&mut calls, &contents).unwrap();
    assert_eq!(calls.0, [WRITE_PIECE, WRITE_PIECE, 3]);
    assert!(calls.1 == contents);

    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("large.tf.json");
    let mut t = Transaction::default();
    t.stage(&path, &contents).unwrap();
    t.commit().unwrap();
    assert!(std::fs::read(&path).unwrap() == contents);
}
