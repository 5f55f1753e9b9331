use super::check::drift;
use super::*;

#[test]
fn the_starter_spec_compiles_for_every_target() {
    let source = Source::new("ssm-profile.yaml", STARTER);
    let model = crate::load(&source).expect("the starter compiles");
    assert_eq!(model.profiles.len(), 1);
    assert!(model.profiles[0].warnings.is_empty());
    for o in Output::every() {
        o.generate_files(&model, "ssm-profile.yaml", RenderOptions::default())
            .unwrap_or_else(|e| panic!("{o:?} refuses the starter: {e}"));
    }
}

#[test]
fn out_dir_paths_are_distinct_relative_and_named_after_the_spec() {
    let paths: Vec<String> = Output::all().map(|o| o.out_dir_path("prod")).collect();
    for (i, p) in paths.iter().enumerate() {
        assert!(p.contains("prod"), "{p}");
        assert!(!p.starts_with('/') && !p.contains('\\'), "{p}");
        assert!(
            p.split('/')
                .all(|seg| !seg.is_empty() && seg != ".." && seg != "."),
            "{p}"
        );
        assert!(!paths[..i].contains(p), "two outputs share {p}");
    }
}

#[test]
fn stems_name_the_generated_files() {
    assert_eq!(spec_stem("specs/prod.yaml").unwrap(), "prod");
    assert_eq!(spec_stem("prod.ssm.json").unwrap(), "prod.ssm");
    assert!(spec_stem("-").is_err());
    assert!(spec_stem("specs/.yaml").is_err());
}

#[test]
fn crlf_drift_says_so() {
    let FileState::Drifted { note, diff } = drift(Path::new("f"), b"a\r\nb\r\n", "a\nb\n") else {
        panic!("not drift");
    };
    assert!(note.unwrap().contains("CRLF"));
    assert!(diff.contains("-a\r"));
}
