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
    /// Output syntax: json or yaml for cloudformation (default json).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    Cloudformation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Yaml,
}

/// Picks the output for a target and the format flag, or says why the pair is wrong.
pub fn output_for(target: Target, format: Option<Format>) -> Result<Output, String> {
    match (target, format) {
        (Target::Cloudformation, None | Some(Format::Json)) => Ok(Output::CloudFormationJson),
        (Target::Cloudformation, Some(Format::Yaml)) => Ok(Output::CloudFormationYaml),
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
    }
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
    let output = output_for(args.target, args.format).map_err(|message| Error::Target {
        file: args.spec.clone(),
        message,
    })?;
    let source = Source::read(&args.spec)?;
    let model = crate::load(&source)?;
    let text = output.render(&model).map_err(|message| Error::Target {
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
