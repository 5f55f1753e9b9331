//! The command line: a thin layer over the library. Exit codes: 0 success, 1 drift
//! found by `check`, 2 anything the user must fix (bad spec, usage, unwritable file).

use std::io::Write;
use std::path::Path;

use clap::{Parser, Subcommand, ValueEnum};

use crate::backend::Output;
use crate::diag::Error;
use crate::source::Source;

pub const EXIT_OK: i32 = 0;
pub const EXIT_DRIFT: i32 = 1;
pub const EXIT_INVALID: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "ssm-profile",
    version,
    about = "Compiles a spec into IaC for the AWS Systems Manager EC2 instance profile"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a spec into one target's code, on stdout or into a file.
    Build(BuildArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The spec file (YAML or JSON); `-` reads standard input.
    pub spec: String,
    /// What to generate.
    #[arg(long, value_enum)]
    pub target: Target,
    /// Output syntax: json or yaml for cloudformation (default json); hcl or json
    /// for terraform (default hcl).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language of the CDK code (default typescript); cdk only.
    #[arg(long, value_enum)]
    pub language: Option<Language>,
    /// Emit a runnable CDK app (App, Stack and the construct) instead of the module;
    /// cdk only.
    #[arg(long)]
    pub app: bool,
    /// terraform only: leave out the `terraform { required_providers }` block, for
    /// use as a module (the root module pins the provider).
    #[arg(long)]
    pub no_provider_block: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<String>,
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
        Command::Build(args) => {
            if let Err(message) = check_flags(&args) {
                use clap::CommandFactory;
                let _ = Cli::command()
                    .error(clap::error::ErrorKind::ArgumentConflict, message)
                    .print();
                return EXIT_INVALID;
            }
            report(build(&args))
        }
    }
}

/// Flag combinations clap cannot judge alone: a format or option the target lacks.
fn check_flags(args: &BuildArgs) -> Result<(), String> {
    output_for(args.target, args.format, args.language, args.app)?;
    if args.no_provider_block && args.target != Target::Terraform {
        return Err("`--no-provider-block` applies only to `--target terraform`".into());
    }
    Ok(())
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
    let output =
        output_for(args.target, args.format, args.language, args.app).map_err(|message| {
            Error::Target {
                file: args.spec.clone(),
                message,
            }
        })?;
    let source = Source::read(&args.spec)?;
    let model = crate::load(&source)?;
    let rendered = match output {
        Output::TerraformHcl | Output::TerraformJson if args.no_provider_block => {
            let options = crate::backend::terraform::Options {
                provider_block: false,
            };
            if output == Output::TerraformHcl {
                crate::backend::terraform::hcl_with(&model, options)
            } else {
                crate::backend::terraform::json_with(&model, options)
            }
        }
        _ => output.render(&model),
    };
    let text = rendered.map_err(|message| Error::Target {
        file: source.name.clone(),
        message,
    })?;
    for p in &model.profiles {
        for w in &p.warnings {
            eprintln!("warning: {}: profile `{}`: {w}", source.name, p.name);
        }
    }
    match &args.output {
        Some(path) => write_atomic(Path::new(path), text.as_bytes())?,
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is the reader's choice, not an error of ours.
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
