//! Shell completions and man pages, from the command line's own definition.

use super::deferred::whole;
use super::report::Reporter;
use super::{BIN, Cli, EXIT_OK, ManArgs, print};
use crate::diag::Error;

/// The completion script for `shell`. clap_complete's bash script spells the
/// subcommand states of a hyphenated program name two ways (clap-rs/clap#6421):
/// the loop sets `ssm__profile__subcmd__build`, the arms match
/// `ssm__subcmd__profile__subcmd__build`, so no subcommand option completed. The
/// arms are rewritten to the loop's spelling (a no-op once clap_complete is fixed).
/// The bash script also offers a subcommand's options as the first word after it even
/// when nothing was typed (and, after the first word, for every word), so `explain
/// <TAB>` completed to `-` instead of a spec file; for the subcommands whose words
/// are files, options are offered only for a word that starts with `-`, and bash's
/// own file completion (`-o default`) does the rest.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut whole::<Cli>(), BIN, &mut out);
    let script = String::from_utf8_lossy(&out).into_owned();
    if shell != clap_complete::Shell::Bash {
        return script;
    }
    let broken = format!("{}__subcmd__", BIN.replace('-', "__subcmd__"));
    let fixed = format!("{}__subcmd__", BIN.replace('-', "__"));
    let script = script.replace(&broken, &fixed);
    let file_first = subcommands_taking_a_file_first();
    let mut arm = None;
    let mut out = String::with_capacity(script.len());
    for line in script.split_inclusive('\n') {
        if let Some(name) = line
            .trim()
            .strip_prefix(&fixed)
            .and_then(|l| l.strip_suffix(')'))
        {
            arm = Some(name.to_string());
        }
        let options_first = "if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then";
        // After the arm's `case "${prev}"`: options again, for any word.
        let options_last = "            COMPREPLY=( $(compgen -W \"${opts}\" -- \"${cur}\") )\n";
        if !arm.as_ref().is_some_and(|a| file_first.contains(a)) {
            out.push_str(line);
        } else if line.contains(options_first) {
            out.push_str(&line.replace(options_first, "if [[ ${cur} == -* ]] ; then"));
        } else if line == options_last {
            out.push_str("            COMPREPLY=()\n");
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The subcommands whose first positional argument is a path (a spec, or where
/// `init` writes), not a word from a list.
fn subcommands_taking_a_file_first() -> Vec<String> {
    whole::<Cli>()
        .get_subcommands()
        .filter(|s| {
            s.get_positionals()
                .next()
                .is_some_and(|a| a.get_possible_values().is_empty())
        })
        .map(|s| s.get_name().to_string())
        .collect()
}

/// The names of the subcommands that have a manual page.
pub(super) fn subcommand_names() -> Vec<&'static str> {
    vec![
        "build",
        "check",
        "explain",
        "impact",
        "drift",
        "schema",
        "init",
        "completions",
        "man",
    ]
}

/// The command tree as the manual pages see it: built (so subcommands are named
/// `ssm-profile-build`), without the `help` subcommand, which has no page.
pub(super) fn man_command() -> clap::Command {
    let mut cmd = whole::<Cli>().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Every manual page: (file name, roff), the program's first.
pub fn man_pages() -> Result<Vec<(String, String)>, Error> {
    let cmd = man_command();
    let mut pages = vec![render_man(cmd.clone())?];
    for sub in cmd.get_subcommands() {
        pages.push(render_man(sub.clone())?);
    }
    Ok(pages)
}

pub(super) fn render_man(cmd: clap::Command) -> Result<(String, String), Error> {
    let man = clap_mangen::Man::new(cmd);
    let mut out = Vec::new();
    man.render(&mut out).map_err(|error| Error::Io {
        path: "<man page>".into(),
        error,
    })?;
    Ok((
        man.get_filename(),
        String::from_utf8_lossy(&out).into_owned(),
    ))
}

pub(super) fn man(args: &ManArgs, r: &mut Reporter) -> Result<i32, Error> {
    let pages = man_pages()?;
    if let Some(dir) = &args.out_dir {
        for (name, text) in &pages {
            let path = dir.join(name);
            crate::atomic::write_file(&path, text.as_bytes(), Default::default()).map_err(
                |error| Error::Io {
                    path: path.display().to_string(),
                    error,
                },
            )?;
        }
        r.note(&format!(
            "{}: {} manual pages written",
            dir.display(),
            pages.len()
        ));
        return Ok(EXIT_OK);
    }
    let wanted = match &args.command {
        Some(sub) => format!("{BIN}-{sub}.1"),
        None => format!("{BIN}.1"),
    };
    let (_, text) = pages
        .iter()
        .find(|(name, _)| *name == wanted)
        .expect("every subcommand name has a page");
    print(text)
}
