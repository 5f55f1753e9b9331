//! The command line: a thin layer over the library. Exit codes: 0 success, 1 drift
//! found by `check`, 2 anything the user must fix (bad spec, usage, unwritable file).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::backend::{Output, RenderOptions};
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
    #[arg(long, value_enum, required_unless_present = "out_dir")]
    pub target: Vec<Target>,
    /// Output syntax: json or yaml for cloudformation (default json); hcl or json
    /// for terraform (default hcl).
    #[arg(long, value_enum, conflicts_with = "out_dir")]
    pub format: Option<Format>,
    /// Language of the CDK code (default typescript); cdk only.
    #[arg(long, value_enum, conflicts_with = "out_dir")]
    pub language: Option<Language>,
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
    #[arg(long, value_enum)]
    pub target: Vec<Target>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    Cloudformation,
    Cdk,
    Terraform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Yaml,
    Hcl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Language {
    Typescript,
    Python,
}

/// Picks the output for a target and its flags, or says why the combination is wrong.
pub fn output_for(
    target: Target,
    format: Option<Format>,
    language: Option<Language>,
    app: bool,
) -> Result<Output, String> {
    match target {
        Target::Cloudformation => {
            if language.is_some() || app {
                return Err(
                    "`--language` and `--app` apply only to `--target cdk`; CloudFormation takes `--format json|yaml`".into(),
                );
            }
            match format {
                None | Some(Format::Json) => Ok(Output::CloudFormationJson),
                Some(Format::Yaml) => Ok(Output::CloudFormationYaml),
                Some(Format::Hcl) => Err(
                    "`--format hcl` is for `--target terraform`; CloudFormation takes `--format json|yaml`".into(),
                ),
            }
        }
        Target::Terraform => {
            if language.is_some() || app {
                return Err(
                    "`--language` and `--app` apply only to `--target cdk`; Terraform takes `--format hcl|json`".into(),
                );
            }
            match format {
                None | Some(Format::Hcl) => Ok(Output::TerraformHcl),
                Some(Format::Json) => Ok(Output::TerraformJson),
                Some(Format::Yaml) => Err(
                    "Terraform has no YAML syntax; use `--format hcl` (default, `.tf`) or `--format json` (`.tf.json`)".into(),
                ),
            }
        }
        Target::Cdk => {
            if format.is_some() {
                return Err(
                    "`--format` does not apply to `--target cdk`; choose the code with `--language typescript|python` and `--app`".into(),
                );
            }
            Ok(match (language.unwrap_or(Language::Typescript), app) {
                (Language::Typescript, false) => Output::CdkTypescript,
                (Language::Typescript, true) => Output::CdkTypescriptApp,
                (Language::Python, false) => Output::CdkPython,
                (Language::Python, true) => Output::CdkPythonApp,
            })
        }
    }
}

impl Target {
    /// The name the command line uses, which is also `Output::target`.
    pub fn name(self) -> &'static str {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .and_then(|n| Output::ALL.iter().map(|o| o.target()).find(|t| *t == n))
            .expect("every target has outputs")
    }
}

/// The flags of `build` that select `output`, fewest first: the inverse of
/// `output_for` over every flag value, so a new target or flag value is found without
/// another table.
pub fn target_flags(output: Output) -> String {
    fn name<T: ValueEnum>(v: &T) -> String {
        v.to_possible_value()
            .map(|p| p.get_name().to_string())
            .unwrap_or_default()
    }
    let formats = std::iter::once(None).chain(Format::value_variants().iter().map(Some));
    let languages: Vec<Option<&Language>> = std::iter::once(None)
        .chain(Language::value_variants().iter().map(Some))
        .collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for format in formats {
        for &language in &languages {
            for app in [false, true] {
                for target in Target::value_variants() {
                    if output_for(*target, format.copied(), language.copied(), app) != Ok(output) {
                        continue;
                    }
                    let mut flags = vec![format!("--target {}", name(target))];
                    if let Some(f) = format {
                        flags.push(format!("--format {}", name(f)));
                    }
                    if let Some(l) = language {
                        flags.push(format!("--language {}", name(l)));
                    }
                    if app {
                        flags.push("--app".into());
                    }
                    found.push(flags);
                }
            }
        }
    }
    // The fewest flags; among equals, the first found (defaults before values).
    match found.into_iter().min_by_key(|f| f.len()) {
        Some(flags) => flags.join(" "),
        None => format!("--out-dir DIR (no flags select {output:?} alone)"),
    }
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

fn target_names(targets: &[Target]) -> Vec<&'static str> {
    targets.iter().map(|t| t.name()).collect()
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
    let output = output_for(*target, args.format, args.language, args.app).map_err(|message| {
        Error::Target {
            file: spec.clone(),
            message,
        }
    })?;
    if args.no_provider_block && *target != Target::Terraform {
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
        .generate_with(&model, &source.name, options)
        .map_err(|message| Error::Target {
            file: source.name.clone(),
            message,
        })?;
    for line in model.warning_lines(&source.name) {
        eprintln!("warning: {line}");
    }
    match &args.output {
        Some(path) => write_atomic(Path::new(path), text.as_bytes())?,
        None => {
            print(&text)?;
        }
    }
    Ok(EXIT_OK)
}

/// Writes through a temporary file in the same directory and renames it over the
/// target, so a reader never sees half a file and a failure leaves the old one.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let io = |error| Error::Io {
        path: path.display().to_string(),
        error,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file path",
        ))
    })?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdk_flags_pick_the_language_and_the_app() {
        let cdk = |language, app| output_for(Target::Cdk, None, language, app);
        assert_eq!(cdk(None, false), Ok(Output::CdkTypescript));
        assert_eq!(
            cdk(Some(Language::Typescript), true),
            Ok(Output::CdkTypescriptApp)
        );
        assert_eq!(cdk(Some(Language::Python), false), Ok(Output::CdkPython));
        assert_eq!(cdk(Some(Language::Python), true), Ok(Output::CdkPythonApp));
    }

    #[test]
    fn flags_of_another_target_are_usage_errors() {
        let err = output_for(Target::Cdk, Some(Format::Yaml), None, false).unwrap_err();
        assert!(
            err.contains("`--format` does not apply to `--target cdk`"),
            "{err}"
        );
        for (language, app) in [(Some(Language::Python), false), (None, true)] {
            let err = output_for(Target::Cloudformation, None, language, app).unwrap_err();
            assert!(err.contains("apply only to `--target cdk`"), "{err}");
        }
    }
}
