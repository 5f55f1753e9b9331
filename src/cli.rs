//! The command line: a thin layer over the library. Exit codes: 0 success, 1 drift
//! found by `check`, 2 anything the user must fix (bad spec, usage, unwritable file).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::{CommandFactory, Parser, Subcommand};

use crate::backend::{Output, RenderOptions, Selection};
use crate::diag::Error;
use crate::source::Source;

pub const EXIT_OK: i32 = 0;
pub const EXIT_DRIFT: i32 = 1;
pub const EXIT_INVALID: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "ssm-profile",
    version,
    about = "Compiles a spec into IaC for the AWS Systems Manager EC2 instance profile",
    after_help = "Exit status: 0 success; 1 `check` found drifted or missing files; 2 anything to fix \
(invalid spec, a target that refuses it, usage, unreadable or unwritable file).\n\
Workflow: `ssm-profile init`, edit the spec, `ssm-profile build SPEC... --out-dir DIR`, \
commit spec and DIR, gate merges on `ssm-profile check SPEC... --out-dir DIR`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a spec into one target's code, on stdout or into a file; or every
    /// spec into every target's files under --out-dir.
    Build(BuildArgs),
    /// Exit 0 when the files under --out-dir are exactly what `build` would write;
    /// exit 1 with a diff when they drifted. Never writes.
    Check(CheckArgs),
    /// Say in plain language what a spec grants, to whom, and why.
    Explain(ExplainArgs),
    /// Print the JSON Schema of spec v1, for editors and pipelines.
    Schema,
    /// Write a commented starter spec (never overwrites).
    Init(InitArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the manual page (roff).
    Man,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Spec files (YAML or JSON); `-` reads standard input. Several only with --out-dir.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,
    /// What to generate. With --out-dir: only these targets (repeatable; default all).
    #[arg(long, value_parser = targets(), required_unless_present = "out_dir")]
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
    /// terraform only: leave out the `terraform { required_providers }` block, for
    /// use as a module (the root module pins the provider).
    #[arg(long, conflicts_with = "out_dir")]
    pub no_provider_block: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", conflicts_with = "out_dir")]
    pub output: Option<String>,
    /// Write every output of every spec into this tree (see docs/workflow.md).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
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
    /// The specs given are all there are: a file in the tree's target folders that
    /// none of them generates (left by a removed or renamed spec) is drift too.
    #[arg(long)]
    pub exhaustive: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The spec file (YAML or JSON); `-` reads standard input.
    pub spec: String,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the starter spec.
    #[arg(default_value = "ssm-profile.yaml")]
    pub path: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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

/// Runs the program and returns its exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are successes; usage errors exit with 2.
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_INVALID
            } else {
                EXIT_OK
            };
        }
    };
    match cli.command {
        Command::Build(args) => report(build(&args)),
        Command::Check(args) => report(check(&args)),
        Command::Explain(args) => report(explain(&args)),
        Command::Schema => report(print(&crate::schema::schema_text())),
        Command::Init(args) => report(init(&args)),
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "ssm-profile", &mut out);
            report(print(&String::from_utf8_lossy(&out)))
        }
        Command::Man => {
            let mut out = Vec::new();
            let written = clap_mangen::Man::new(Cli::command()).render(&mut out);
            report(
                written
                    .map_err(|error| Error::Io {
                        path: "<man page>".into(),
                        error,
                    })
                    .and_then(|()| print(&String::from_utf8_lossy(&out))),
            )
        }
    }
}

fn target_names(targets: &[String]) -> Vec<&str> {
    targets.iter().map(String::as_str).collect()
}

fn build_tree(args: &BuildArgs, out_dir: &Path) -> Result<i32, Error> {
    let plan = crate::workflow::plan(&args.specs, out_dir, &target_names(&args.target))?;
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    let report = crate::workflow::write(&plan)?;
    eprintln!(
        "{}: {} written, {} unchanged",
        out_dir.display(),
        report.written.len(),
        report.unchanged.len()
    );
    Ok(EXIT_OK)
}

fn check(args: &CheckArgs) -> Result<i32, Error> {
    let plan = crate::workflow::plan(&args.specs, &args.out_dir, &target_names(&args.target))?;
    let mut report = crate::workflow::check(&plan)?;
    if args.exhaustive {
        report.strays = crate::workflow::strays(&plan, &args.out_dir)?;
    }
    let stdout = std::io::stdout();
    let color = crate::workflow::use_color(
        stdout.is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    print(&report.render(color))?;
    Ok(if report.is_clean() {
        EXIT_OK
    } else {
        EXIT_DRIFT
    })
}

fn explain(args: &ExplainArgs) -> Result<i32, Error> {
    let source = Source::read(&args.spec)?;
    let model = crate::load(&source)?;
    print(&crate::explain::explain(&model, &source.name))
}

fn init(args: &InitArgs) -> Result<i32, Error> {
    crate::workflow::init(&args.path)?;
    eprintln!(
        "wrote {}; next: `ssm-profile schema > spec.schema.json` for editor validation, then `ssm-profile build {} --out-dir generated`",
        args.path.display(),
        args.path.display()
    );
    Ok(EXIT_OK)
}

/// Writes to stdout; a closed pipe (`| head`) is the reader's choice, not an error.
fn print(text: &str) -> Result<i32, Error> {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(Error::Io {
            path: "<stdout>".into(),
            error: e,
        });
    }
    Ok(EXIT_OK)
}

fn report(result: Result<i32, Error>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

fn build(args: &BuildArgs) -> Result<i32, Error> {
    if let Some(dir) = &args.out_dir {
        return build_tree(args, dir);
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
    })
    .map_err(Error::Usage)?;
    if args.no_provider_block && target != "terraform" {
        return Err(Error::Usage(
            "`--no-provider-block` applies only to `--target terraform`".into(),
        ));
    }
    let options = RenderOptions {
        terraform_provider_block: !args.no_provider_block,
    };
    let source = Source::read(spec)?;
    let model = crate::load(&source)?;
    let text = output
        .generate(&model, &source.name, options)
        .map_err(|e| e.for_file(&source.name))?;
    for line in model.warning_lines(&source.name) {
        eprintln!("warning: {line}");
    }
    for note in output.notes(&text) {
        eprintln!("warning: {}: {note}", source.name);
    }
    match &args.output {
        Some(path) => {
            crate::atomic::write_file(Path::new(path), text.as_bytes()).map_err(|error| {
                Error::Io {
                    path: path.clone(),
                    error,
                }
            })?
        }
        None => {
            print(&text)?;
        }
    }
    Ok(EXIT_OK)
}
