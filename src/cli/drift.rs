//! `ssm-profile drift SPEC --live FILE`: compiles the spec, reads the account's IAM
//! dump (`aws iam get-account-authorization-details --filter Role
//! LocalManagedPolicy`), and prints what the first deploy would change on what
//! exists (`crate::drift`). Offline: the one AWS call is the user's.

use std::io::Read;

use super::{EXIT_DRIFT, EXIT_OK, GlobalArgs, load, print};
use crate::diag::{Error, terminal_safe};
use crate::drift::{self, Kind, live};
use crate::source::Source;

#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The spec (YAML or JSON); `-` reads standard input.
    #[arg(value_name = "SPEC")]
    pub spec: String,
    /// The JSON that `aws iam get-account-authorization-details --filter Role
    /// LocalManagedPolicy` prints (its pages one after another, or merged as the AWS
    /// CLI merges them); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub live: String,
}

/// Exit 0 when the first deploy would change nothing that exists, 1 when it would,
/// 2 for bad input.
pub(super) fn run(args: &DriftArgs, global: &GlobalArgs) -> Result<i32, Error> {
    if args.spec == "-" && args.live == "-" {
        return Err(Error::Usage(
            "the spec and --live cannot both be standard input".into(),
        ));
    }
    let source = Source::read(&args.spec)?;
    let model = load(&source)?;
    let text = read_bounded(&args.live)?;
    let refused = |why: String| Error::Usage(format!("{}: {why}", terminal_safe(&args.live)));
    let live = live::parse(&text).map_err(refused)?;
    drift::check_account(&model, &live).map_err(refused)?;
    let findings = drift::drift(&model, &live);
    let changes = findings.iter().any(|f| f.kind == Kind::Change);
    print(&drift::report::render(
        &findings,
        &source,
        global.message_format,
    ))?;
    Ok(if changes { EXIT_DRIFT } else { EXIT_OK })
}

/// The file's bytes, at most `live::MAX_BYTES` of them (one more is read, to tell
/// that a file is too large without reading all of it).
fn read_bounded(path: &str) -> Result<Vec<u8>, Error> {
    let io = |error| Error::Io {
        path: path.to_string(),
        error,
    };
    let mut text = Vec::new();
    let limit = live::MAX_BYTES as u64 + 1;
    if path == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut text)
            .map_err(io)?;
    } else {
        let file = std::fs::File::open(path).map_err(io)?;
        if !file.metadata().map_err(io)?.is_file() {
            return Err(Error::Usage(format!(
                "{}: not a regular file",
                terminal_safe(path)
            )));
        }
        file.take(limit).read_to_end(&mut text).map_err(io)?;
    }
    Ok(text)
}
