use super::manual::man_pages;
use super::*;
use clap::CommandFactory;
use std::ffi::OsString;

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| OsString::from(v))
    }
}

#[test]
fn color_follows_the_flag_then_no_color_then_clicolor_force_then_the_terminal() {
    use ColorChoice::*;
    assert!(use_color(Auto, true, env(&[])));
    assert!(!use_color(Auto, false, env(&[])));
    assert!(!use_color(Auto, true, env(&[("NO_COLOR", "1")])));
    assert!(use_color(Auto, true, env(&[("NO_COLOR", "")])));
    assert!(use_color(Auto, false, env(&[("CLICOLOR_FORCE", "1")])));
    assert!(!use_color(Auto, false, env(&[("CLICOLOR_FORCE", "0")])));
    assert!(!use_color(
        Auto,
        true,
        env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
    ));
    assert!(!use_color(Auto, true, env(&[("TERM", "dumb")])));
    assert!(use_color(Always, false, env(&[("NO_COLOR", "1")])));
    assert!(!use_color(Never, true, env(&[("CLICOLOR_FORCE", "1")])));
}

fn output(golden: &str) -> Output {
    Output::by_golden(golden).unwrap()
}

#[test]
fn an_extension_of_another_format_is_a_warning() {
    let warns = |golden: &str, file: &str| extension_warning(output(golden), file).is_some();
    assert!(warns("cloudformation.yaml", "x.json"));
    assert!(!warns("cloudformation.yaml", "x.yaml"));
    assert!(!warns("cloudformation.yaml", "out/X.YML"));
    assert!(!warns("cloudformation.json", "ssm.template.json"));
    assert!(warns("cloudformation.json", "main.tf.json"));
    assert!(warns("terraform.tf", "main.tf.json"));
    assert!(!warns("terraform.tf", "main.tf"));
    assert!(warns("terraform.tf.json", "main.json"));
    assert!(!warns("terraform.tf.json", "main.tf.json"));
    assert!(warns("cdk.py", "stack.ts"));
    assert!(!warns("cdk-app.ts", "app.ts"));
    // A name without a known extension is the user's choice.
    assert!(!warns("cloudformation.json", "template"));
    assert!(!warns("cloudformation.json", "ssm.template"));
    let w = extension_warning(output("cloudformation.yaml"), "x.json").unwrap();
    assert_eq!(
        w.message,
        "the file name ends in `.json`, but `--target cloudformation --format yaml` writes `.yaml`; tools choose how to read a file by its extension"
    );
}

#[test]
fn every_subcommand_has_a_man_page() {
    let pages = man_pages().unwrap();
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected = vec!["ssm-profile.1".to_string()];
    expected.extend(
        subcommand_names()
            .iter()
            .map(|s| format!("ssm-profile-{s}.1")),
    );
    assert_eq!(names, expected);
    let cmd = Cli::command();
    let listed: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
    assert_eq!(listed, subcommand_names());
}

#[test]
fn a_usage_error_keeps_the_requested_message_format() {
    let format = |args: &[&str]| requested_message_format(args.iter().map(Into::into));
    assert_eq!(
        format(&["p", "build", "--message-format", "json", "--target"]),
        Some(MessageFormat::Json)
    );
    assert_eq!(
        format(&["p", "--message-format=github", "build"]),
        Some(MessageFormat::Github)
    );
    assert_eq!(
        format(&["p", "--message-format", "json", "--message-format=human"]),
        None
    );
    // The value clap refused, a value after `--`, and no flag at all: clap's own text.
    assert_eq!(format(&["p", "build", "--message-format", "jsn"]), None);
    assert_eq!(
        format(&["p", "build", "--", "--message-format", "json"]),
        None
    );
    assert_eq!(format(&["p", "build", "--message-format"]), None);
    assert_eq!(format(&["p", "build"]), None);
}

/// Every subcommand's arguments are defined only when it is parsed
/// (`deferred::Deferred`): what a user sees of a subcommand (its help, the errors
/// clap prints) is what the definition built whole gives.
#[test]
fn a_subcommand_defined_when_parsed_reads_as_the_whole_definition() {
    let parse = |cmd: clap::Command, args: &[&str]| match cmd.try_get_matches_from(args) {
        Ok(_) => String::new(),
        Err(e) => e.render().to_string(),
    };
    let mut checked = 0;
    for sub in subcommand_names() {
        for args in [
            vec![BIN, sub, "--help"],
            vec![BIN, "help", sub],
            vec![BIN, sub, "--no-such-option"],
            vec![BIN, "--quiet", sub, "--color"],
        ] {
            let lazy = parse(Cli::command(), &args);
            assert!(!lazy.is_empty(), "{args:?}");
            assert_eq!(lazy, parse(deferred::whole::<Cli>(), &args), "{args:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * 9);
    // The same definition, checked as clap checks it in debug builds, every
    // subcommand included.
    Cli::command().debug_assert();
}

/// To clap, `Deferred<T>` is `T` in every other way: the same argument group, a
/// definition for updating (deferred the same way), and an update through it
/// updates `T`.
#[test]
fn a_deferred_subcommand_is_its_arguments_in_every_other_way() {
    use clap::{Args, FromArgMatches};
    assert!(BuildArgs::group_id().is_some());
    assert_eq!(Deferred::<BuildArgs>::group_id(), BuildArgs::group_id());
    let mut cmd = Deferred::<BuildArgs>::augment_args_for_update(clap::Command::new("build"));
    cmd.build();
    assert!(cmd.get_arguments().any(|a| a.get_id() == "out_dir"));
    let matches = |dir: &str| {
        cmd.clone()
            .try_get_matches_from(["build", "a.yaml", "--out-dir", dir])
            .unwrap()
    };
    let mut args = Deferred::<BuildArgs>::from_arg_matches(&matches("x")).unwrap();
    assert_eq!(args.out_dir, Some(PathBuf::from("x")));
    args.update_from_arg_matches(&matches("y")).unwrap();
    assert_eq!(args.out_dir, Some(PathBuf::from("y")));
    args.update_from_arg_matches_mut(&mut matches("z")).unwrap();
    assert_eq!(args.out_dir, Some(PathBuf::from("z")));
}
