//! Every message to standard error goes through one `Reporter`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{ColorChoice, EXIT_INVALID, GlobalArgs};
use crate::diag::{Diagnostic, Error, MAX_WARNINGS, MessageFormat, Severity, codes};

/// Standard output and error as they were when the process started: Rust's runtime
/// reopens a closed one on /dev/null before `main`, which would make `>&-` a silent
/// success. `note_closed_streams` runs before that (from main.rs).
pub(super) static CLOSED_AT_START: [AtomicBool; 3] = [
    AtomicBool::new(false),
    AtomicBool::new(false),
    AtomicBool::new(false),
];

/// Records which of the standard streams are closed. Called by the binary before
/// Rust's runtime starts (it reopens them), and harmless to call again.
#[cfg(unix)]
pub fn note_closed_streams() {
    use std::os::fd::BorrowedFd;
    for (fd, closed) in CLOSED_AT_START.iter().enumerate() {
        // SAFETY: the borrowed descriptor is used only for one fcntl(F_DUPFD_CLOEXEC),
        // which fails with EBADF when the descriptor is closed; nothing else runs
        // yet (no other thread exists before main), and the duplicate is closed at
        // once.
        let open = unsafe { BorrowedFd::borrow_raw(fd as i32) }
            .try_clone_to_owned()
            .is_ok();
        closed.store(!open, Ordering::Relaxed);
    }
}

#[cfg(not(unix))]
pub fn note_closed_streams() {}

/// Whether standard stream `fd` (0, 1 or 2) was closed when the process started.
pub fn closed_at_start(fd: usize) -> bool {
    CLOSED_AT_START[fd].load(Ordering::Relaxed)
}

/// Whether to colour text written to a stream: `--color`, then NO_COLOR (set and
/// not empty: never), CLICOLOR_FORCE (set, not empty and not `0`: always), then
/// whether the stream is a terminal (and TERM is not `dumb`).
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").unwrap() != "0" => true,
        ColorChoice::Auto => is_terminal && env("TERM").is_none_or(|t| t != "dumb"),
    }
}

pub(super) fn env_var(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name)
}

/// Prints diagnostics and progress lines on stderr and counts the warnings.
pub struct Reporter {
    format: MessageFormat,
    color: bool,
    quiet: bool,
    deny_warnings: bool,
    warnings: usize,
    /// Warnings counted but not printed, past the first `MAX_WARNINGS`.
    unshown: usize,
    /// A write to stderr failed: the command must not exit 0.
    failed: bool,
}

impl Reporter {
    pub fn new(global: &GlobalArgs) -> Reporter {
        Reporter {
            format: global.message_format,
            color: use_color(global.color, std::io::stderr().is_terminal(), env_var),
            quiet: global.quiet,
            deny_warnings: global.deny_warnings,
            warnings: 0,
            unshown: 0,
            failed: false,
        }
    }

    fn write(&mut self, text: &str) {
        if closed_at_start(2) {
            self.failed = true;
            return;
        }
        let mut stderr = std::io::stderr().lock();
        if let Err(e) = stderr
            .write_all(text.as_bytes())
            .and_then(|()| stderr.flush())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            self.failed = true;
        }
    }

    /// Prints a diagnostic; warnings are counted, and left out under --quiet (unless
    /// --deny-warnings makes them fail the command) and past the first
    /// `MAX_WARNINGS` (`deny_warnings` says how many more there were).
    pub fn emit(&mut self, d: &Diagnostic) {
        if d.severity == Severity::Warning {
            self.warnings += 1;
            if self.quiet && !self.deny_warnings {
                return;
            }
            if self.warnings > MAX_WARNINGS {
                self.unshown += 1;
                return;
            }
        }
        let text = d.render(self.format, self.color);
        self.write(&text);
    }

    /// A progress line for people (`wrote ...`): not under --quiet, and not in the
    /// json format, whose stderr holds only diagnostics.
    pub fn note(&mut self, line: &str) {
        if self.quiet || self.format == MessageFormat::Json {
            return;
        }
        let text = format!("{}\n", crate::diag::terminal_safe(line));
        self.write(&text);
    }

    /// Says how many warnings were not shown, then `Err` when --deny-warnings is
    /// given and warnings were reported: call it after the warnings and before
    /// anything is written.
    pub fn deny_warnings(&mut self) -> Result<(), Error> {
        if self.unshown > 0 {
            let d = Diagnostic::warning(
                codes::MORE_WARNINGS,
                format!(
                    "and {} more warnings not shown (the first {MAX_WARNINGS} are)",
                    self.unshown
                ),
            );
            self.unshown = 0;
            let text = d.render(self.format, self.color);
            self.write(&text);
        }
        if self.deny_warnings && self.warnings > 0 {
            return Err(Error::WarningsDenied(self.warnings));
        }
        Ok(())
    }

    /// The exit code: the command's, or 2 when stderr could not be written.
    pub fn finish(&self, code: i32) -> i32 {
        if self.failed { EXIT_INVALID } else { code }
    }
}

/// The machine-readable `--message-format` the command line asks for, read without
/// clap (whose parse failed): `--message-format X` or `--message-format=X`, the last
/// one given. `None` for human, or when the value is itself what clap refused.
pub(super) fn requested_message_format(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Option<MessageFormat> {
    use clap::ValueEnum;
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut found = None;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--message-format") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(value) = value {
            found = MessageFormat::from_str(value, false).ok();
        }
    }
    found.filter(|f| *f != MessageFormat::Human)
}

/// clap's message for a usage error, without its `error: ` (the format adds its own),
/// without colour, and on one line: its line breaks would reach a GitHub annotation
/// as `\n` (every message is made terminal-safe) and a JSON consumer as text to split.
/// clap's "For more information, try '--help'." goes too: no one at a terminal reads
/// a JSON line or an annotation.
pub(super) fn usage_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let text = text.trim();
    let text = text.strip_prefix("error: ").unwrap_or(text);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect::<Vec<_>>()
        .join(" ")
}
