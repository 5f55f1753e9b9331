//! Golden files: every fixture's spec beside the exact output of every target.
//!
//! `fixtures/<case>/spec.yaml` (or `spec.json`) is compiled to each output (with the
//! generated-file header, citing the spec by its file name) and compared with
//! `fixtures/<case>/<output file>`, or with `<target>.error` when the target refuses
//! the spec; `explain.txt` holds what `ssm-profile explain` says about it. `fixtures/invalid/<case>/` runs the real binary and compares its
//! stderr with `error.txt`. A mismatch prints a unified diff; `UPDATE_GOLDENS=1`
//! rewrites the goldens and lists the files it changed. An output that is a folder
//! (the Terraform module layout) has a folder of goldens, which must hold exactly its
//! files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::source::Source;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1")
}

fn spec_file(dir: &Path) -> Option<PathBuf> {
    ["spec.yaml", "spec.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
}

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir() && spec_file(p).is_some())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Compares `actual` with the golden at `path`, or rewrites it under UPDATE_GOLDENS.
fn check_golden(path: &Path, actual: &str) -> Result<(), Failed> {
    let expected = fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return Ok(());
    }
    if updating() {
        fs::write(path, actual).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!(
            "golden {}: {}",
            if expected.is_some() {
                "updated"
            } else {
                "created"
            },
            path.display()
        );
        return Ok(());
    }
    let expected = expected.unwrap_or_default();
    let diff = similar::TextDiff::from_lines(&expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(&path.display().to_string(), "actual")
        .to_string();
    Err(format!(
        "{} does not match (UPDATE_GOLDENS=1 rewrites it)\n{diff}",
        path.display()
    )
    .into())
}

/// `<target>.error`, `<target>-rollout.error` for a `--rollout` output (a target may
/// accept a spec and refuse its rollout, which deploys CloudFormation), or
/// `<target>-adoption.error` for an `--adoption` file.
fn target_error_file(dir: &Path, output: Output) -> PathBuf {
    dir.join(error_file_name(output))
}

fn error_file_name(output: Output) -> String {
    if output.is_rollout() {
        format!("{}-rollout.error", output.target())
    } else if output.adoption().is_some() {
        format!("{}-adoption.error", output.target())
    } else {
        format!("{}.error", output.target())
    }
}

fn valid_case(dir: &Path, output: Output) -> Result<(), Failed> {
    let spec = spec_file(dir).ok_or("no spec")?;
    let text = fs::read_to_string(&spec)?;
    let name = spec.file_name().unwrap().to_string_lossy().to_string();
    let source = Source::new(name.clone(), text);
    let model = ssm_profile::load(&source).map_err(|e| format!("the spec is invalid:\n{e}"))?;
    let golden = dir.join(output.golden_name());
    let refusal = target_error_file(dir, output);
    match output.generate_files(&model, &name, RenderOptions::default()) {
        Ok(files) => {
            for f in &files {
                let text = &f.text;
                if !text.ends_with('\n') || text.ends_with("\n\n") || text.contains('\r') {
                    return Err(format!(
                        "{}: output must end with exactly one LF and contain no CR",
                        output.file_golden_path(f)
                    )
                    .into());
                }
            }
            if refusal.exists() && !updating() {
                return Err(
                    format!("{} exists but the target did not refuse", refusal.display()).into(),
                );
            }
            if updating() {
                let _ = fs::remove_file(&refusal);
            }
            for f in &files {
                let path = dir.join(output.file_golden_path(f));
                if updating() {
                    fs::create_dir_all(path.parent().unwrap())?;
                }
                check_golden(&path, &f.text)?;
            }
            // Whatever this output wrote before and no longer writes: its one file
            // once the spec is split into stacks, the stacks once it fits one, a
            // stack past the last, a file no longer in its folder.
            let expected: Vec<PathBuf> = files
                .iter()
                .map(|f| dir.join(output.file_golden_path(f)))
                .collect();
            let mut found: Vec<PathBuf> = files_under(&golden);
            if golden.is_file() {
                found.push(golden.clone());
            }
            for entry in fs::read_dir(dir)?.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if output.is_stack_golden(&name) {
                    found.push(entry.path());
                }
            }
            for found in found {
                if !expected.contains(&found) {
                    if updating() {
                        fs::remove_file(&found)?;
                        eprintln!("golden removed: {}", found.display());
                    } else {
                        return Err(format!("{}: no output writes it", found.display()).into());
                    }
                }
            }
            Ok(())
        }
        Err(message) => {
            if golden.exists() && !updating() {
                return Err(format!(
                    "the target refused ({message}) but {} exists",
                    golden.display()
                )
                .into());
            }
            if updating() {
                let _ = fs::remove_file(&golden);
                let _ = fs::remove_dir_all(&golden);
                for entry in fs::read_dir(dir)?.flatten() {
                    if output.is_stack_golden(&entry.file_name().to_string_lossy()) {
                        let _ = fs::remove_file(entry.path());
                    }
                }
            }
            check_golden(&refusal, &format!("{message}\n"))
        }
    }
}

/// Every file under `dir`, recursively (none when it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn explain_case(dir: &Path) -> Result<(), Failed> {
    let spec = spec_file(dir).ok_or("no spec")?;
    let name = spec.file_name().unwrap().to_string_lossy().to_string();
    let source = Source::new(name.clone(), fs::read_to_string(&spec)?);
    let model = ssm_profile::load(&source).map_err(|e| format!("the spec is invalid:\n{e}"))?;
    let text = ssm_profile::explain::explain(&model, &name);
    if text.lines().any(|l| l.ends_with(' ')) {
        return Err("explain output has trailing spaces".into());
    }
    check_golden(&dir.join(EXPLAIN_GOLDEN), &text)
}

/// The golden of `ssm-profile explain`, beside every valid fixture.
const EXPLAIN_GOLDEN: &str = "explain.txt";

fn invalid_case(dir: &Path) -> Result<(), Failed> {
    let spec = spec_file(dir).ok_or("no spec")?;
    let name = spec.file_name().unwrap().to_string_lossy().to_string();
    // `args` (one per line) replaces `--target cloudformation`, for refusals that
    // belong to another target.
    let args: Vec<String> = match fs::read_to_string(dir.join(INVALID_ARGS)) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => vec!["--target".into(), "cloudformation".into()],
    };
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .current_dir(dir)
        .arg("build")
        .arg(&name)
        .args(&args)
        .output()?;
    let took = started.elapsed();
    if out.status.code() != Some(2) {
        return Err(format!("exit code {:?}, expected 2", out.status.code()).into());
    }
    // Refusals are quick: nothing here reads more than a small file. The bound is
    // loose so that a loaded machine does not fail it; the limits are exercised for
    // speed in tests/robustness.rs.
    if took > std::time::Duration::from_secs(5) {
        return Err(
            format!("took {took:?}; an invalid spec is refused in well under a second").into(),
        );
    }
    if !out.stdout.is_empty() {
        return Err("an invalid spec printed to stdout".into());
    }
    let stderr = String::from_utf8(out.stderr)?;
    if stderr.contains("panicked") {
        return Err(format!("the program panicked:\n{stderr}").into());
    }
    // Located: `file:line:column:`, or a target's refusal that names the field.
    let first = stderr.lines().next().unwrap_or_default();
    let located = first
        .strip_prefix(&format!("error: {name}:"))
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(line, rest)| {
            line.parse::<usize>().is_ok()
                && rest
                    .split_once(':')
                    .is_some_and(|(col, _)| col.parse::<usize>().is_ok())
        });
    let names_field = first.starts_with(&format!("error: {name}: profiles["));
    if !located && !names_field {
        return Err(
            format!("the error names neither a line and column nor a field: {first}").into(),
        );
    }
    check_golden(&dir.join("error.txt"), &stderr)
}

/// The command-line arguments after `build SPEC` for an invalid case, when not the
/// default `--target cloudformation`.
const INVALID_ARGS: &str = "args";

/// The outputs written for the spec in `dir` (a rollout's only for a spec with
/// `rollout`): the trials compare those, and no other output may leave a golden.
/// Every output when the spec does not load, so that each trial says so.
fn applying(dir: &Path) -> Vec<Output> {
    let model = spec_file(dir).and_then(|spec| {
        let text = fs::read_to_string(&spec).ok()?;
        let name = spec.file_name()?.to_string_lossy().to_string();
        ssm_profile::load(&Source::new(name, text)).ok()
    });
    Output::every()
        .filter(|o| model.as_ref().is_none_or(|m| o.applies(m)))
        .collect()
}

/// Every file in a fixture folder is either its spec, a golden some output that
/// applies to it claims, or a documented extra; anything else is a stale golden
/// (`UPDATE_GOLDENS=1` removes those of an output that no longer applies).
fn no_stray_files(dir: &Path) -> Result<(), Failed> {
    let applying = applying(dir);
    for o in Output::every().filter(|o| !applying.contains(o)) {
        for stale in [dir.join(o.golden_name()), target_error_file(dir, o)] {
            if stale.exists() {
                if !updating() {
                    return Err(format!(
                        "{} exists, but its output does not apply to the spec (no `rollout`, or no `adopt: true`)",
                        stale.display()
                    )
                    .into());
                }
                let _ = fs::remove_file(stale);
            }
        }
    }
    let mut known: Vec<String> = vec![
        "spec.yaml".into(),
        "spec.json".into(),
        "README.md".into(),
        "checkov-skip.txt".into(),
        // The spec's next version and what deploying it does (tests/impact.rs).
        "next.yaml".into(),
        "impact.txt".into(),
        EXPLAIN_GOLDEN.into(),
    ];
    for o in Output::every() {
        known.push(o.golden_name().into());
        known.push(error_file_name(o));
    }
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if !known.contains(&name) && !Output::every().any(|o| o.is_stack_golden(&name)) {
            return Err(format!("{}: unexpected file {name}", dir.display()).into());
        }
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let root = fixtures_root();
    let mut trials = Vec::new();
    let valid = case_dirs(&root);
    let invalid = case_dirs(&root.join("invalid"));
    for dir in valid {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        for output in applying(&dir) {
            let dir = dir.clone();
            trials.push(Trial::test(
                format!("golden::{case}::{}", output.golden_name()),
                move || valid_case(&dir, output),
            ));
        }
        trials.push(Trial::test(format!("golden::{case}::{EXPLAIN_GOLDEN}"), {
            let dir = dir.clone();
            move || explain_case(&dir)
        }));
        trials.push(Trial::test(
            format!("golden::{case}::no_stray_files"),
            move || no_stray_files(&dir),
        ));
    }
    for dir in invalid {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        trials.push(Trial::test(format!("invalid::{case}"), move || {
            invalid_case(&dir)
        }));
    }
    trials.push(Trial::test("fixtures::enough_cases", {
        let root = root.clone();
        move || {
            let (v, i) = (
                case_dirs(&root).len(),
                case_dirs(&root.join("invalid")).len(),
            );
            if v < 12 || i < 45 {
                return Err(format!(
                    "{v} valid and {i} invalid fixtures; at least 12 and 45 are required"
                )
                .into());
            }
            Ok(())
        }
    }));
    libtest_mimic::run(&args, trials).exit();
}
