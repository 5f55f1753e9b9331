use super::*;

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
    let path = root.join(format!("{JOURNAL_PREFIX}test{JOURNAL_SUFFIX}"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn recover_rolls_a_committed_build_forward_and_an_uncommitted_one_back() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    std::fs::create_dir(r.join("d")).unwrap();
    std::fs::write(r.join("d/.a.X.tmp"), "new a").unwrap();
    std::fs::write(r.join("d/a"), "old a").unwrap();
    std::fs::write(r.join("d/b"), "new b").unwrap();
    let j = journal(
        r,
        "stage\td/.b.Y.tmp\td/b\nstage\td/.a.X.tmp\td/a\ncommit\n",
    );
    let done = recover(r).unwrap();
    assert_eq!(done.finished, vec![r.join("d/a")]);
    assert_eq!(std::fs::read_to_string(r.join("d/a")).unwrap(), "new a");
    assert!(!j.exists() && !r.join("d/.a.X.tmp").exists());

    std::fs::write(r.join("d/.a.Z.tmp"), "half").unwrap();
    let j = journal(r, "stage\td/.a.Z.tmp\td/a\nsta");
    let done = recover(r).unwrap();
    assert_eq!(done.removed, vec![r.join("d/.a.Z.tmp")]);
    assert_eq!(std::fs::read_to_string(r.join("d/a")).unwrap(), "new a");
    assert!(!j.exists());

    journal(r, "stage\t../escape\td/a\ncommit\n");
    assert_eq!(
        recover(r).unwrap_err().kind(),
        std::io::ErrorKind::InvalidData
    );
}

/// The race of issue 10 item 15: a build that ends (removing its journal) after
/// another listed it. Its open journal is then unlinked: `removed` says so, and
/// `recover` must take that as a finished build, not an error.
#[cfg(unix)]
#[test]
fn a_journal_removed_after_it_was_opened_is_a_finished_build() {
    let root = tempfile::tempdir().unwrap();
    let path = journal(root.path(), "stage\tx.tmp\tx\ncommit\n");
    let file = File::open(&path).unwrap();
    assert!(!removed(&file).unwrap());
    std::fs::remove_file(&path).unwrap();
    assert!(removed(&file).unwrap());
}

#[test]
fn a_running_build_is_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let mut t = Transaction::journaled(root.path()).unwrap();
    t.stage(&root.path().join("f"), b"x").unwrap();
    assert_eq!(journals(root.path()).unwrap().len(), 1);
    assert!(journals(root.path()).unwrap()[0].1, "locked: running");
    assert_eq!(recover(root.path()).unwrap(), Recovery::default());
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
