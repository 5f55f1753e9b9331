//! `drift`'s report in the three `--message-format`s. Everything from the dump (names,
//! tags, statements) is untrusted and reaches the terminal only through `diag`'s
//! escapers (`terminal_safe`, `github_data`), or as JSON strings.

use super::{Finding, Kind};
use crate::diag::{
    Diagnostic, MessageFormat, RuleError, Severity, codes, github_data, github_property,
    terminal_safe,
};
use crate::source::Source;

/// The report of one spec's findings.
pub fn render(findings: &[Finding], spec: &Source, format: MessageFormat) -> String {
    let mut out = String::new();
    match format {
        MessageFormat::Human => {
            let mut profile = None;
            for f in findings {
                if profile != Some(&f.profile) {
                    profile = Some(&f.profile);
                    out.push_str(&format!("profile {}:\n", terminal_safe(&f.profile)));
                }
                let mark = match f.kind {
                    Kind::Change => "change",
                    Kind::Unknown => "not compared",
                };
                out.push_str(&format!(
                    "  {mark}: {}: {}\n",
                    terminal_safe(&f.subject),
                    terminal_safe(&f.message)
                ));
                for d in &f.details {
                    out.push_str(&format!("      {}\n", terminal_safe(d)));
                }
            }
            let changes = findings.iter().filter(|f| f.kind == Kind::Change).count();
            out.push_str(&match changes {
                0 => "the first deploy would change nothing that exists\n".to_string(),
                1 => "1 change: the first deploy would change what is listed\n".to_string(),
                n => format!("{n} changes: the first deploy would change what is listed\n"),
            });
        }
        MessageFormat::Json => {
            for f in findings {
                let value = serde_json::json!({
                    "kind": match f.kind { Kind::Change => "change", Kind::Unknown => "not-compared" },
                    "profile": f.profile,
                    "subject": f.subject,
                    "message": f.message,
                    "details": f.details,
                    "path": f.at,
                });
                out.push_str(&format!("{value}\n"));
            }
        }
        MessageFormat::Github => {
            for f in findings {
                let message = format!("{}: {}", f.subject, f.message);
                match f.kind {
                    Kind::Change => {
                        let e = spec.locate(RuleError::new(f.at.clone(), message));
                        let d =
                            Diagnostic::from_spec_error(Severity::Warning, codes::DRIFT_CHANGE, &e);
                        out.push_str(&d.github());
                    }
                    Kind::Unknown => out.push_str(&format!(
                        "::notice file={},title={}::{}\n",
                        github_property(&terminal_safe(&spec.name)),
                        github_property(&format!("ssm-profile {}", codes::DRIFT_UNKNOWN)),
                        github_data(&terminal_safe(&message))
                    )),
                }
            }
        }
    }
    out
}
