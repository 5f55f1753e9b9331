//! The command line: a thin layer over the library. Exit codes: 0 success, 1 drift
//! found by `check`, 2 anything the user must fix (bad spec, usage, unwritable file,
//! denied warnings, a message that could not be written).
//!
//! Everything the user reads on stderr goes through `Reporter`, which prints each
//! diagnostic in the chosen `--message-format` and never panics on a failed write.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::{Parser, Subcommand};

use crate::backend::{Output, RenderOptions, Selection};
use crate::diag::{Diagnostic, Error, MessageFormat, codes};
use crate::source::Source;

pub const EXIT_OK: i32 = 0;
pub const EXIT_DRIFT: i32 = 1;
pub const EXIT_INVALID: i32 = 2;

const BIN: &str = "ssm-profile";

#[derive(Debug, Parser)]
#[command(
    name = "ssm-profile",
    version,
    about = "Compiles a spec into IaC for the AWS Systems Manager EC2 instance profile",
    after_help = "Exit status: 0 success; 1 `check` found drifted or missing files; 2 anything to fix \
(invalid spec, a target that refuses it, usage, unreadable or unwritable file, warnings with --deny-warnings).\n\
Workflow: `ssm-profile init`, edit the spec, `ssm-profile build SPEC... --out-dir DIR`, \
commit spec and DIR, gate merges on `ssm-profile check SPEC... --out-dir DIR`."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes, before or after its name.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// How errors and warnings are printed on stderr: human (with the line and a
    /// caret), json (one object per line: severity, code, message, file, line,
    /// column, path) or github (GitHub Actions annotations on the spec's line).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = MessageFormat::Human,
        value_name = "FORMAT"
    )]
    pub message_format: MessageFormat,
    /// Print no warnings and no progress lines; errors are still printed.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Warnings fail the command with exit status 2, before anything is written
    /// (for CI).
    #[arg(long, global = true)]
    pub deny_warnings: bool,
    /// Colour `error:`, `warning:` and check's diff: auto (only on a terminal, never
    /// when NO_COLOR is set, always when CLICOLOR_FORCE is set), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN"
    )]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a spec into one target's code, on stdout or into a file; or every
    /// spec into every target's files under --out-dir.
    Build(Deferred<BuildArgs>),
    /// Exit 0 when the files under --out-dir are exactly what `build` would write;
    /// exit 1 with a diff when they drifted. Never writes.
    Check(Deferred<CheckArgs>),
    /// Say in plain language what a spec grants, to whom, and why.
    Explain(Deferred<ExplainArgs>),
    /// Show what deploying a new version of a spec does: resources created,
    /// updated, replaced, deleted or moved, and the hazards. Exit 1 when something
    /// is replaced, deleted or moved (--deny chooses which).
    Impact(Deferred<impact::ImpactArgs>),
    /// Show what the first deploy of a spec would change on the IAM resources that
    /// exist, read offline from `aws iam get-account-authorization-details`.
    Drift(Deferred<drift::DriftArgs>),

    /// Print the JSON Schema of spec v1, for editors and pipelines.
    Schema,
    /// Write a commented starter spec (never overwrites).
    Init(Deferred<InitArgs>),
    /// Print a shell completion script.
    Completions(Deferred<CompletionsArgs>),
    /// Print a manual page (roff): the program's, or a subcommand's.
    Man(Deferred<ManArgs>),
}

#[derive(Debug, clap::Args)]
// One target on stdout (or -o), or every target into a tree: the usage line says both.
#[command(group(clap::ArgGroup::new("what").args(["target", "out_dir"]).required(true).multiple(true)))]
pub struct BuildArgs {
    /// Spec files (YAML or JSON); `-` reads standard input. Several only with --out-dir.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,
    /// What to generate. With --out-dir: only these targets (repeatable; default all).
    #[arg(long, value_parser = targets())]
    pub target: Vec<String>,
    /// Output syntax: json or yaml for cloudformation (default json); hcl or json
    /// for terraform (default hcl).
    #[arg(long, value_parser = formats(), conflicts_with = "out_dir")]
    pub format: Option<String>,
    /// Language of the CDK code (default typescript); cdk only.
    #[arg(long, value_parser = languages(), conflicts_with = "out_dir")]
    pub language: Option<String>,
    /// Emit a runnable CDK app (App, Stack and the construct) instead of the module;
    /// cdk only.
    #[arg(long, conflicts_with = "out_dir")]
    pub app: bool,
    /// Emit the spec's `rollout`: service-managed CloudFormation StackSets that deploy
    /// the profiles to an AWS Organization's OUs, for the management account or a
    /// delegated administrator (every target; --out-dir writes it beside the rest).
    #[arg(long, conflicts_with = "out_dir")]
    pub rollout: bool,
    /// Emit a file that takes over the resources of the spec's `adopt: true`
    /// profiles, which exist already: `import-template` and `resources-to-import`
    /// (cloudformation), `resource-mapping` (cdk), `import-blocks` (terraform);
    /// --out-dir writes them beside the rest.
    #[arg(long, value_parser = adoptions(), value_name = "FILE", conflicts_with = "out_dir")]
    pub adoption: Option<String>,
    /// terraform only: leave out the `terraform { required_providers }` block, for
    /// use as a module (the root module pins the provider).
    #[arg(long, conflicts_with = "out_dir")]
    pub no_provider_block: bool,
    /// terraform only: `module` writes each spec as a module folder (versions.tf,
    /// variables.tf, main.tf, outputs.tf, README.md, examples/) under --out-dir,
    /// instead of the default tree.
    #[arg(long, value_parser = layouts(), value_name = "LAYOUT")]
    pub layout: Option<String>,
    /// Write to this file (atomically, creating missing folders) instead of
    /// standard output; `-` is standard output.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "out_dir"
    )]
    pub output: Option<String>,
    /// Write every output of every spec into this tree (see docs/workflow.md).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Make the written files survive a power cut too: sync them to the disk before
    /// the build commits (slower, a disk flush per file). Without it a write is still
    /// atomic against interruption, and the next build repairs what a power cut lost.
    #[arg(long)]
    pub fsync: bool,
}

impl BuildArgs {
    fn durability(&self) -> crate::atomic::Durability {
        if self.fsync {
            crate::atomic::Durability::Synced
        } else {
            crate::atomic::Durability::Atomic
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Spec files (YAML or JSON), as given to `build`.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,
    /// The tree `build --out-dir` wrote.
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Only these targets, as given to `build` (repeatable; default all).
    #[arg(long, value_parser = targets())]
    pub target: Vec<String>,
    /// The layout given to `build` (`module` for Terraform module folders).
    #[arg(long, value_parser = layouts(), value_name = "LAYOUT")]
    pub layout: Option<String>,
    /// The specs given are all there are: a file in the tree's target folders that
    /// none of them generates (left by a removed or renamed spec) is drift too.
    #[arg(long)]
    pub exhaustive: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Spec files (YAML or JSON); `-` reads standard input. Several are explained in
    /// the order given.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,
    /// text (for people) or json (for tools that review grants; see docs/workflow.md).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the starter spec (missing folders are created).
    #[arg(default_value = "ssm-profile.yaml", value_name = "PATH")]
    pub path: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`ssm-profile-build(1)`, ...); without it,
    /// the page of ssm-profile itself.
    #[arg(value_name = "COMMAND", value_parser = PossibleValuesParser::new(subcommand_names()))]
    pub command: Option<String>,
    /// Write every page (ssm-profile.1 and one per subcommand) into this folder
    /// instead of printing one.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out_dir: Option<PathBuf>,
}

// The values of --target, --format and --language come from the output table, so a
// new output needs no change here.
fn targets() -> PossibleValuesParser {
    PossibleValuesParser::new(Output::targets())
}

fn formats() -> PossibleValuesParser {
    PossibleValuesParser::new(Output::all_formats())
}

fn languages() -> PossibleValuesParser {
    PossibleValuesParser::new(Output::all_languages())
}

fn layouts() -> PossibleValuesParser {
    PossibleValuesParser::new(Output::all_layouts())
}

fn adoptions() -> PossibleValuesParser {
    PossibleValuesParser::new(Output::all_adoptions())
}

/// Runs the program and returns its exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A pipeline that asked for JSON or GitHub diagnostics parses stderr: a
            // mistyped flag is a diagnostic in that format too, not clap's text.
            if e.use_stderr()
                && let Some(format) = requested_message_format(std::env::args_os())
            {
                let mut reporter = Reporter::new(&GlobalArgs {
                    message_format: format,
                    quiet: false,
                    deny_warnings: false,
                    color: ColorChoice::Never,
                });
                reporter.emit(&Diagnostic::error(codes::USAGE, usage_message(&e)));
                return reporter.finish(EXIT_INVALID);
            }
            // Help and version are successes; usage errors exit with 2.
            let printed = e.print();
            let code = if e.use_stderr() {
                EXIT_INVALID
            } else {
                EXIT_OK
            };
            let closed = if e.use_stderr() { 2 } else { 1 };
            return if printed.is_err() || closed_at_start(closed) {
                EXIT_INVALID
            } else {
                code
            };
        }
    };
    let mut reporter = Reporter::new(&cli.global);
    let code = match dispatch(cli, &mut reporter) {
        Ok(code) => code,
        Err(e) => {
            for d in e.diagnostics() {
                reporter.emit(&d);
            }
            EXIT_INVALID
        }
    };
    reporter.finish(code)
}

fn dispatch(cli: Cli, r: &mut Reporter) -> Result<i32, Error> {
    match cli.command {
        Command::Build(args) => build(&args, r),
        Command::Check(args) => check(&args, &cli.global, r),
        Command::Explain(args) => explain(&args),
        Command::Impact(args) => impact::run(&args, &cli.global),
        Command::Drift(args) => drift::run(&args, &cli.global),

        Command::Schema => print(&crate::schema::schema_text()),
        Command::Init(args) => init(&args, r),
        Command::Completions(args) => print(&completions(args.shell)),
        Command::Man(args) => man(&args, r),
    }
}

fn target_names(targets: &[String]) -> Vec<&str> {
    targets.iter().map(String::as_str).collect()
}

fn build_tree(args: &BuildArgs, out_dir: &Path, r: &mut Reporter) -> Result<i32, Error> {
    let mut tree = crate::workflow::tree(
        &args.specs,
        out_dir,
        &target_names(&args.target),
        args.layout.as_deref(),
    )?;
    // Every file staged as it renders; dropped without `write`, nothing changes.
    let staged = crate::workflow::stage(&mut tree, args.durability(), &mut |m| r.note(m))?;
    for w in &staged.warnings {
        r.emit(w);
    }
    r.deny_warnings()?;
    let report = crate::workflow::write(staged)?;
    let recovered = &report.recovered;
    if !recovered.finished.is_empty() || !recovered.removed.is_empty() {
        r.note(&format!(
            "{}: finished a build that was stopped part-way ({} files replaced, {} temporary files removed)",
            out_dir.display(),
            recovered.finished.len(),
            recovered.removed.len()
        ));
    }
    r.note(&format!(
        "{}: {} written, {} unchanged",
        out_dir.display(),
        report.written.len(),
        report.unchanged.len()
    ));
    Ok(EXIT_OK)
}

fn check(args: &CheckArgs, global: &GlobalArgs, r: &mut Reporter) -> Result<i32, Error> {
    let mut tree = crate::workflow::tree(
        &args.specs,
        &args.out_dir,
        &target_names(&args.target),
        args.layout.as_deref(),
    )?;
    let (mut report, warnings) = crate::workflow::check(&mut tree, &mut |m| r.note(m))?;
    // A mistyped DIR would otherwise read as "every file missing".
    if !args.out_dir.is_dir() {
        let what = if args.out_dir.exists() {
            "is not a folder"
        } else {
            "the folder does not exist (check the path; `ssm-profile build SPEC... --out-dir DIR` creates it)"
        };
        return Err(Error::Usage(format!(
            "--out-dir {}: {what}",
            args.out_dir.display()
        )));
    }
    for w in &warnings {
        r.emit(w);
    }
    r.deny_warnings()?;
    if args.exhaustive {
        report.strays = crate::workflow::strays(&tree.files, &args.out_dir)?;
        // A temporary file is reported once, as what it is.
        report.strays.retain(|p| !report.temporaries.contains(p));
    }
    if global.message_format != MessageFormat::Human {
        for d in check_diagnostics(&report) {
            r.emit(&d);
        }
    }
    let color = use_color(global.color, std::io::stdout().is_terminal(), env_var);
    if !(global.quiet && report.is_clean()) {
        print(&report.render(color))?;
    }
    Ok(if report.is_clean() {
        EXIT_OK
    } else {
        EXIT_DRIFT
    })
}

/// One error per file `check` found wrong, for the machine-readable formats (the
/// human report is on stdout).
fn check_diagnostics(report: &crate::workflow::CheckReport) -> Vec<Diagnostic> {
    use crate::workflow::FileState;
    let mut out = Vec::new();
    for (file, state) in &report.files {
        let (code, what) = match state {
            FileState::UpToDate => continue,
            FileState::Missing => (codes::MISSING, "is missing"),
            FileState::Drifted { .. } => (
                codes::DRIFTED,
                "differs from what `ssm-profile build` writes",
            ),
        };
        out.push(
            Diagnostic::error(
                code,
                format!(
                    "{what} (generated from {}); run `ssm-profile build` with the same arguments and --out-dir to update it",
                    file.spec
                ),
            )
            .in_file(file.path.display().to_string()),
        );
    }
    for path in &report.strays {
        out.push(
            Diagnostic::error(
                codes::STRAY,
                "no spec given generates this file; delete it if its spec is gone, or name its spec",
            )
            .in_file(path.display().to_string()),
        );
    }
    for path in &report.temporaries {
        out.push(
            Diagnostic::error(
                codes::STRAY,
                "a temporary file left by a build that was stopped; the next build removes it",
            )
            .in_file(path.display().to_string()),
        );
    }
    out
}

/// Reads and validates one spec, with every error it has.
fn load(source: &Source) -> Result<crate::model::Model, Error> {
    crate::load_all(source).map_err(Error::Specs)
}

/// Writes to stdout (`stream::write_stream`).
fn print(text: &str) -> Result<i32, Error> {
    write_stream(Stream::Stdout, text).map(|()| EXIT_OK)
}

/// A warning when the name given to `-o` ends in an extension that belongs to
/// another output than the one written (`--format yaml -o x.json`): tools pick a
/// file's reader by its extension, and Terraform reads only `*.tf` and `*.tf.json`.
pub fn extension_warning(output: Output, file: &str) -> Option<Diagnostic> {
    let ext = |o: Output| o.golden_name().split_once('.').map_or("", |(_, e)| e);
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut known: Vec<&str> = Output::all().map(ext).collect();
    known.push("yml");
    let found = known
        .iter()
        .filter(|e| name.ends_with(&format!(".{e}")))
        .max_by_key(|e| e.len())?;
    let own = ext(output);
    if *found == own || (*found == "yml" && own == "yaml") {
        return None;
    }
    Some(
        Diagnostic::warning(
            codes::OUTPUT_EXTENSION,
            format!(
                "the file name ends in `.{found}`, but `{}` writes `.{own}`; tools choose how to read a file by its extension",
                output.flags().join(" ")
            ),
        )
        .in_file(file),
    )
}

fn build(args: &BuildArgs, r: &mut Reporter) -> Result<i32, Error> {
    if let Some(dir) = &args.out_dir {
        return build_tree(args, dir, r);
    }
    let [spec] = args.specs.as_slice() else {
        return Err(Error::Usage(
            "several specs need --out-dir, which names each spec's files after it".into(),
        ));
    };
    let [target] = args.target.as_slice() else {
        return Err(Error::Usage(
            "give one --target without --out-dir (several only with --out-dir)".into(),
        ));
    };
    let output = Output::select(Selection {
        target,
        format: args.format.as_deref(),
        language: args.language.as_deref(),
        app: args.app,
        rollout: args.rollout,
        adoption: args.adoption.as_deref(),
        layout: args.layout.as_deref(),
    })
    .map_err(Error::Usage)?;
    if output.is_folder() {
        return Err(Error::Usage(format!(
            "`{}` writes a folder of files: give --out-dir DIR",
            output.flags().join(" ")
        )));
    }
    let provider_block = Output::provider_block_targets();
    if args.no_provider_block && !provider_block.contains(&target.as_str()) {
        return Err(Error::Usage(format!(
            "`--no-provider-block` applies only to `--target {}`",
            provider_block.join("|")
        )));
    }
    let options = RenderOptions {
        terraform_provider_block: !args.no_provider_block,
        ..RenderOptions::default()
    };
    let file = args.output.as_deref().filter(|f| *f != "-");
    let source = Source::read(spec)?;
    let model = load(&source)?;
    if !output.applies(&model) {
        return Err(Error::Usage(match output.adoption() {
            Some(a) => format!(
                "{}: `--adoption {a}` takes over the resources of the profiles with `adopt: true`, and this spec has none (see docs/workflow.md)",
                source.name
            ),
            None => format!(
                "{}: `--rollout` writes the spec's `rollout`, and this spec has none (see docs/rollout.md)",
                source.name
            ),
        }));
    }
    let text = output
        .generate(&model, &source.name, options)
        .map_err(|e| crate::render_error(&source, e))?;
    if let Some(w) = file.and_then(|f| extension_warning(output, f)) {
        r.emit(&w);
    }
    for w in crate::warnings(&model, &source) {
        r.emit(&w);
    }
    for note in output.notes(&text) {
        r.emit(
            &Diagnostic::warning(codes::TEMPLATE_SIZE, note).in_file(file.unwrap_or(&source.name)),
        );
    }
    r.deny_warnings()?;
    match file {
        Some(path) => match named_stream(path) {
            Some(stream) => write_stream(stream, &text)?,
            None => crate::workflow::write_output(
                Path::new(path),
                spec,
                text.as_bytes(),
                args.durability(),
            )?,
        },
        None => {
            print(&text)?;
        }
    }
    Ok(EXIT_OK)
}

mod deferred;
pub mod drift;
pub mod impact;
mod manual;
mod reading;
mod report;
mod stream;
use deferred::Deferred;
use manual::{completions, man, subcommand_names};
use reading::{explain, init};
use report::{Reporter, env_var, requested_message_format, usage_message, use_color};
pub use report::{closed_at_start, note_closed_streams};
use stream::{Stream, named_stream, write_stream};

#[cfg(test)]
mod tests;
