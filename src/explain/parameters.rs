//! What a profile may read from Parameter Store, for `explain`: the readable names
//! and paths, what stays denied, what reads parameters on the machine (with AWS's
//! pages), or, without `parameter_store`, a one-line note that Core reads them all.

use std::fmt::Write;

use serde_json::{Value, json};

use super::{Lines, date, in_words};
use crate::model::{Kind, ParameterAccess, Profile, has_core};
use crate::refdata::parameters::{
    self as facts, DOCUMENT_REFERENCES, PUBLIC_PAGE, Reader, SCRIPTS,
};
use crate::refdata::{CORE_POLICY, Citation};

/// The note for a profile with Core and without `parameter_store`.
fn note(p: &Profile) -> String {
    format!(
        "Note: {CORE_POLICY} lets the {} read every parameter of the account (SecureStrings under the default aws/ssm key included); `parameter_store: {{ readable: [...] }}` narrows it.",
        machine(p)
    )
}

/// What the role's credentials are used on: a hybrid service role's by the servers
/// and VMs registered through a hybrid activation, which are managed nodes but not
/// EC2 instances; every other kind's by EC2 instances.
fn machine(p: &Profile) -> &'static str {
    match p.kind {
        Kind::HybridServiceRole => "managed node",
        Kind::InstanceProfile | Kind::DefaultHostManagement => "instance",
    }
}

/// What reads parameters on an instance of this profile: its features, then SSM
/// Agent's document references and scripts.
fn readers(access: &ParameterAccess) -> Vec<&'static Reader> {
    let mut out = access.features.clone();
    out.extend([&DOCUMENT_REFERENCES, &SCRIPTS]);
    out
}

pub(super) fn section(out: &mut Lines, p: &Profile) {
    let Some(access) = &p.parameter_store else {
        if has_core(p) {
            out.blank();
            let _ = writeln!(out, "  Parameter Store");
            let _ = writeln!(out, "    {}", note(p));
        }
        return;
    };
    let mut sources: Vec<&Citation> = Vec::new();
    let mut cite = |c: &'static Citation| match sources.iter().position(|s| *s == c) {
        Some(i) => i + 1,
        None => {
            sources.push(c);
            sources.len()
        }
    };
    out.blank();
    let _ = writeln!(out, "  Parameter Store (parameter_store)");
    let names = cite(&facts::NAMES_PAGE);
    let machine = machine(p);
    let _ = writeln!(
        out,
        "    The {machine} may read these parameters of {} (any region), and no other [{names}]:",
        facts::THIS_ACCOUNT
    );
    if access.readable.is_empty() {
        let _ = writeln!(out, "      none (readable: [])");
    }
    for entry in &access.readable {
        let _ = writeln!(out, "      {entry}: {}", meaning(entry));
    }
    for reader in &access.features {
        let n = cite(&reader.source);
        for name in reader.names {
            let _ = writeln!(out, "      {name}: {} [{n}]", reader.what);
        }
    }
    let public = cite(&PUBLIC_PAGE);
    let _ = writeln!(
        out,
        "      /aws/service/*: AWS's public parameters, which every account reads; also by path [{public}]"
    );
    let (auth, core) = (cite(&facts::AUTHORIZATION_PAGE), cite(&facts::CORE_PAGE));
    let _ = writeln!(
        out,
        "    Every other parameter is denied to {}, and {} on any other path: an explicit Deny wins over {CORE_POLICY} (which allows every parameter) and every other Allow of the role [{auth}][{core}].",
        facts::VALUE_READS.join(", "),
        facts::PATH_READ,
    );
    let hierarchies = cite(&facts::HIERARCHIES_PAGE);
    let _ = writeln!(
        out,
        "    {} returns every parameter below the path asked for, so it is allowed only at or below a readable prefix (`/app/prod/*` allows the path /app/prod and those below it); an exact name is never readable by path [{hierarchies}].",
        facts::PATH_READ
    );
    let sharing = cite(&facts::SHARING_PAGE);
    let _ = writeln!(
        out,
        "    Another account's parameter stays denied, even one its owner shares with this account: each name is exempt as a parameter of this account only [{sharing}]."
    );
    let _ = writeln!(out, "    What reads parameters on the {machine}:");
    for reader in readers(access) {
        let n = cite(&reader.source);
        let _ = writeln!(out, "      - {} [{n}]", reader.what);
    }
    let _ = writeln!(out, "    Sources");
    for (i, c) in sources.iter().enumerate() {
        let _ = writeln!(out, "      [{}] {}, {}, {}", i + 1, c.doc, c.url, date(c));
    }
}

/// What a `readable` entry lets the instance read.
fn meaning(entry: &str) -> String {
    match entry.strip_suffix('*') {
        Some(stem) => match stem.strip_suffix('/') {
            Some(path) => format!(
                "every parameter whose name begins with {stem}; by path at {path} and below"
            ),
            None => format!(
                "every parameter whose name begins with {stem}; by path at any path that begins with it"
            ),
        },
        None => "this parameter; not by path".to_string(),
    }
}

pub(super) fn json(p: &Profile) -> Value {
    let Some(access) = &p.parameter_store else {
        return json!({ "narrowed": false, "note": has_core(p).then(|| note(p)) });
    };
    let reader = |r: &Reader| json!({ "what": r.what, "names": r.names, "source": r.source });
    json!({
        "narrowed": true,
        "readable": access.readable,
        "features": access.features.iter().map(|r| reader(r)).collect::<Vec<_>>(),
        "value_reads": facts::VALUE_READS,
        "value_reads_exempt": in_words(&access.value_reads_exempt),
        "path_read": facts::PATH_READ,
        "path_reads_exempt": in_words(&access.path_reads_exempt),
        "machine": machine(p),
        "readers_on_instance": readers(access).into_iter().map(reader).collect::<Vec<_>>(),
    })
}
