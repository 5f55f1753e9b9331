//! `ssm-profile impact`: reads the two versions of each spec (two files, or each
//! file against its version at a git revision), compiles both, and prints what
//! deploying the new one does (`crate::impact`).

use std::process::Command as Process;

use super::{EXIT_DRIFT, EXIT_OK, GlobalArgs, load, print};
use crate::diag::{Error, terminal_safe};
use crate::impact::{Change, impact, render};
use crate::source::Source;

#[derive(Debug, clap::Args)]
pub struct ImpactArgs {
    /// OLD NEW: two versions of one spec. With --base: the specs, each compared with
    /// its version at that revision.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,
    /// A git revision (origin/main): each spec's old version is `git show REV:./SPEC`,
    /// run in the current folder; a spec absent there is new (everything created).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The changes that make the exit status 1 (comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_values_t = [Gate::Replace, Gate::Delete, Gate::Move],
        value_name = "CHANGES"
    )]
    pub deny: Vec<Gate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Gate {
    Replace,
    Delete,
    Move,
}

fn gated(change: &Change, deny: &[Gate]) -> bool {
    match change {
        Change::Replaced(..) => deny.contains(&Gate::Replace),
        Change::Deleted => deny.contains(&Gate::Delete),
        Change::Moved(_) => deny.contains(&Gate::Move),
        Change::Created | Change::Updated(_) => false,
    }
}

/// Exit 0 when nothing denied happens, 1 when something does, 2 for bad input.
pub(super) fn run(args: &ImpactArgs, global: &GlobalArgs) -> Result<i32, Error> {
    let pairs: Vec<(Option<Source>, Source)> = match &args.base {
        None => match args.specs.as_slice() {
            [old, new] => vec![(Some(Source::read(old)?), Source::read(new)?)],
            _ => {
                return Err(Error::Usage(
                    "give two specs, OLD NEW, or --base REV and the specs to compare with their version at REV".into(),
                ));
            }
        },
        Some(rev) => {
            check_revision(rev)?;
            let mut pairs = Vec::new();
            for spec in &args.specs {
                pairs.push((at_revision(rev, spec)?, Source::read(spec)?));
            }
            pairs
        }
    };
    let mut report = String::new();
    let mut denied = false;
    for (old, new) in &pairs {
        let new_model = load(new)?;
        // Compiled as the new file: the default StackSet and file names follow it.
        let old_model = match old {
            Some(o) => Some(
                load(&Source::new(new.name.clone(), o.text.to_string())).map_err(|e| match e {
                    Error::Specs(errors) => Error::Specs(
                        errors
                            .into_iter()
                            .map(|mut e| {
                                e.file = o.name.clone();
                                e
                            })
                            .collect(),
                    ),
                    other => other,
                })?,
            ),
            None => None,
        };
        let found = impact(old_model.as_ref(), &new_model, &new.name)
            .map_err(|e| crate::render_error(new, e))?;
        denied |= found.items.iter().any(|i| gated(&i.change, &args.deny));
        let empty = Source::new(new.name.clone(), "");
        if pairs.len() > 1 && global.message_format == crate::diag::MessageFormat::Human {
            report.push_str(&format!("{}:\n", terminal_safe(&new.name)));
        }
        report.push_str(&render(
            &found,
            old.as_ref().unwrap_or(&empty),
            new,
            global.message_format,
        ));
    }
    print(&report)?;
    Ok(if denied { EXIT_DRIFT } else { EXIT_OK })
}

fn git(args: &[&str]) -> Result<std::process::Output, Error> {
    Process::new("git")
        .args(args)
        .output()
        .map_err(|error| Error::Io {
            path: "git".into(),
            error,
        })
}

fn check_revision(rev: &str) -> Result<(), Error> {
    let out = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])?;
    if out.status.success() && !rev.starts_with('-') {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "`{}` is not a git revision here (run impact inside the repository, with the revision fetched: `git fetch origin main`)",
        terminal_safe(rev)
    )))
}

/// The spec's text at `rev`, or `None` when it did not exist there.
fn at_revision(rev: &str, spec: &str) -> Result<Option<Source>, Error> {
    if spec == "-" || std::path::Path::new(spec).is_absolute() {
        return Err(Error::Usage(format!(
            "with --base, give each spec as a path relative to the current folder, not `{}`",
            terminal_safe(spec)
        )));
    }
    let object = format!("{rev}:./{spec}");
    if !git(&["cat-file", "-e", &object])?.status.success() {
        return Ok(None);
    }
    let out = git(&["show", &object])?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "git show {} failed: {}",
            terminal_safe(&object),
            terminal_safe(String::from_utf8_lossy(&out.stderr).trim())
        )));
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| Error::Usage(format!("{} is not UTF-8 text", terminal_safe(&object))))?;
    Ok(Some(Source::new(object, text)))
}
