//! `impact`'s report in the three `--message-format`s: human, JSON lines, and
//! GitHub annotations on the spec lines that cause each hazard. Every spec string
//! and generated name goes through `diag`'s escapers (`terminal_safe`,
//! `github_data`), as every other message does.

use super::{Change, Impact, Item};
use crate::diag::{
    Diagnostic, MessageFormat, RuleError, Severity, codes, github_data, github_property,
    terminal_safe,
};
use crate::source::Source;

pub type Format = MessageFormat;

/// The whole report: every change, target by target, then every hazard.
pub fn render(impact: &Impact, old: &Source, new: &Source, format: Format) -> String {
    let mut out = String::new();
    if format == MessageFormat::Human {
        let mut target = None;
        for item in &impact.items {
            if target != Some(item.resource.target) {
                target = Some(item.resource.target);
                out.push_str(&format!("{}:\n", item.resource.target));
            }
            out.push_str(&format!("  {}\n", terminal_safe(&line(item))));
        }
        if impact.items.is_empty() {
            out.push_str("no resource changes\n");
        }
    } else {
        for item in &impact.items {
            out.push_str(&match format {
                MessageFormat::Json => item_json(item),
                _ => change_github(item, new),
            });
        }
    }
    for h in &impact.hazards {
        let source = if h.in_old { old } else { new };
        let e = source.locate(RuleError::new(h.at.clone(), h.message.clone()));
        let d = Diagnostic::from_spec_error(Severity::Warning, codes::IMPACT_HAZARD, &e);
        out.push_str(&match format {
            MessageFormat::Human => format!("hazard: {}\n", d.human_body()),
            MessageFormat::Json => d.json(),
            MessageFormat::Github => d.github(),
        });
    }
    out
}

/// `stack web: replaced AWS::IAM::Role WebRole (web): Path is create-only (...)`.
fn line(item: &Item) -> String {
    let r = &item.resource;
    let name = r
        .name
        .as_ref()
        .map(|n| format!(" `{n}`"))
        .unwrap_or_default();
    let why = match &item.change {
        Change::Created | Change::Deleted => String::new(),
        Change::Updated(props) => format!(": {} change in place", props.join(", ")),
        Change::Replaced(props, source) => format!(
            ": {} cannot change in place ({source}), so it is deleted and created again",
            props.join(", ")
        ),
        Change::Moved(from) => format!(": from {from}"),
    };
    let cdk = r
        .cdk
        .as_ref()
        .map(|p| format!(" (CDK {p})"))
        .unwrap_or_default();
    format!(
        "{}: {} {} {}{name}{cdk}{why}",
        r.container,
        item.change.word(),
        r.kind,
        r.key
    )
}

fn item_json(item: &Item) -> String {
    let r = &item.resource;
    let (properties, source, from) = match &item.change {
        Change::Updated(p) => (p.clone(), None, None),
        Change::Replaced(p, s) => (p.clone(), Some(*s), None),
        Change::Moved(from) => (Vec::new(), None, Some(from.clone())),
        _ => (Vec::new(), None, None),
    };
    let value = serde_json::json!({
        "change": item.change.word(),
        "target": r.target.name(),
        "container": r.container,
        "key": r.key,
        "type": r.kind,
        "name": r.name,
        "profile": r.profile,
        "cdk": r.cdk,
        "properties": properties,
        "source": source,
        "from": from,
    });
    format!("{value}\n")
}

/// A change as a GitHub annotation on the new spec: a notice, or a warning for a
/// change `--deny` gates.
fn change_github(item: &Item, new: &Source) -> String {
    let level = if item.change.is_gated() {
        "warning"
    } else {
        "notice"
    };
    let message = format!("{}: {}", item.resource.target, line(item));
    format!(
        "::{level} file={},title={}::{}\n",
        github_property(&terminal_safe(&new.name)),
        github_property(&format!("ssm-profile {}", codes::IMPACT_CHANGE)),
        github_data(&terminal_safe(&message))
    )
}
