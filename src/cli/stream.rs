//! Standard output and error, written directly or named by `-o`.

use std::io::Write;

use super::report::closed_at_start;
use crate::diag::Error;

/// A standard stream of this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn fd(self) -> usize {
        match self {
            Stream::Stdout => 1,
            Stream::Stderr => 2,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "standard output",
            Stream::Stderr => "standard error",
        }
    }
}

/// The stream `-o PATH` names, when it names one by the spelling the docs promise
/// (`/dev/stdout`, `/dev/stderr`, and their `/dev/fd/N` and `/proc/self/fd/N`
/// aliases). On Linux these are symbolic links into `/proc`, and for a pipe or
/// socket the link names no file at all (`pipe:[N]`), so the path is not followed:
/// the output goes to the process's own descriptor, as it would without `-o`. Any
/// other path, a link to one of these among them, is a file and takes the file
/// rules (`workflow::write_output`), so no planted link steers a write.
pub fn named_stream(path: &str) -> Option<Stream> {
    match path {
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some(Stream::Stdout),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some(Stream::Stderr),
        _ => None,
    }
}

/// Writes `text` to `stream`; a closed pipe (`| head`) is the reader's choice, not an
/// error, but a stream that was closed from the start (`>&-`) or that fails is.
pub fn write_stream(stream: Stream, text: &str) -> Result<(), Error> {
    let io = |error| Error::Io {
        path: match stream {
            Stream::Stdout => "<stdout>",
            Stream::Stderr => "<stderr>",
        }
        .into(),
        error,
    };
    if closed_at_start(stream.fd()) {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            format!(
                "{} is closed; nothing was written (redirect it, or write a file with -o)",
                stream.name()
            ),
        )));
    }
    let written = match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
        Stream::Stderr => {
            let mut err = std::io::stderr().lock();
            err.write_all(text.as_bytes()).and_then(|()| err.flush())
        }
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(io(e)),
        _ => Ok(()),
    }
}
