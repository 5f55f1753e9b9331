//! The Terraform output means exactly what the CloudFormation output means.
//!
//! For every fixture, the CloudFormation template and the Terraform JSON are parsed
//! as data and each is reduced to the same canonical meaning: roles (name, path,
//! description, boundary, session length, tags, trust principal and conditions),
//! customer policies with their (sid, action, resource) grants, attachments
//! role -> policy, instance profiles -> role, and the (action, resource) grants each
//! role receives through its customer policies. Deploy-time values become
//! `{ACCOUNT}` / `{REGION}`. The two meanings must be equal, and both must equal the
//! meaning read straight from the model (the only reference for fixtures that
//! CloudFormation refuses, such as existing-role-managed).
//!
//! Terraform JSON strings are templates, so this test also decodes `$${` / `%%{`: the
//! hostile-strings fixture proves that descriptions, tags and ARNs round-trip.
//! Terraform JSON and HCL are compared with real Terraform by
//! scripts/terraform-agreement.py.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::model::{Model, Part, RoleRef, Text};
use ssm_profile::source::Source;

/// CloudFormation's template of `model` as data, or its refusal, as `build` gives them.
fn cfn_template(model: &Model) -> Result<Value, ssm_profile::backend::RenderError> {
    let output = Output::by_golden("cloudformation.json").expect("a CloudFormation JSON output");
    output
        .render(model, RenderOptions::default())
        .map(|t| serde_json::from_str(&t).expect("the template is JSON"))
}

const ACCOUNT: &str = "{ACCOUNT}";
const REGION: &str = "{REGION}";

#[derive(Debug, Default, PartialEq, Eq)]
struct Meaning {
    /// name -> (path, description, boundary, max session, principal, conditions)
    roles: BTreeMap<String, RoleMeaning>,
    /// (role, key, value)
    role_tags: BTreeSet<(String, String, String)>,
    /// (policy name, path, sid, action, resource)
    policy_grants: BTreeSet<(String, String, String, String, String)>,
    /// (role name, `managed:ARN` or `custom:NAME`)
    attachments: BTreeSet<(String, String)>,
    /// (instance profile name, path, role name)
    instance_profiles: BTreeSet<(String, String, String)>,
    /// (role, action, resource) through attached customer policies
    role_grants: BTreeSet<(String, String, String)>,
    /// (setting ID, value, the role it waits for): Default Host Management
    service_settings: BTreeSet<(String, String, String)>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct RoleMeaning {
    path: String,
    description: String,
    permissions_boundary: String,
    max_session_duration: String,
    principal: String,
    action: String,
    /// (operator, key, value)
    conditions: BTreeSet<(String, String, String)>,
}

impl Meaning {
    fn derive_role_grants(&mut self) {
        for (role, policy) in &self.attachments {
            if let Some(name) = policy.strip_prefix("custom:") {
                for (p, _, _, action, resource) in &self.policy_grants {
                    if p == name {
                        self.role_grants
                            .insert((role.clone(), action.clone(), resource.clone()));
                    }
                }
            }
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strings).collect(),
        other => panic!("expected a string or a list of strings, got {other}"),
    }
}

fn opt_str(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => panic!("unexpected value {other}"),
    }
}

fn statement_grants(
    doc: &Value,
    name: &str,
    path: &str,
    out: &mut BTreeSet<(String, String, String, String, String)>,
) {
    assert_eq!(doc["Version"], "2012-10-17", "policy {name}");
    for s in doc["Statement"].as_array().expect("Statement list") {
        // An Allow on Resource, or the Deny on every resource but NotResource
        // (parameter_store): the effect and the element are part of the grant.
        let (effect, element) = match s["Effect"].as_str() {
            Some("Allow") => ("", "Resource"),
            Some("Deny") => ("deny ", "NotResource"),
            other => panic!("policy {name}: effect {other:?}"),
        };
        assert!(
            s.get(if element == "Resource" {
                "NotResource"
            } else {
                "Resource"
            })
            .is_none(),
            "policy {name}: an {element} statement holds the other element"
        );
        let sid = s["Sid"].as_str().expect("every statement has a Sid");
        for a in strings(&s["Action"]) {
            for r in strings(&s[element]) {
                let grant = format!("{effect}{a}");
                out.insert((name.into(), path.into(), sid.into(), grant, r));
            }
        }
    }
}

fn trust_of(doc: &Value, role: &mut RoleMeaning, value: impl Fn(&Value) -> String) {
    let statements = doc["Statement"].as_array().expect("trust statements");
    assert_eq!(statements.len(), 1, "one trust statement");
    let s = &statements[0];
    assert_eq!(s["Effect"], "Allow");
    role.principal = s["Principal"]["Service"]
        .as_str()
        .expect("service principal")
        .into();
    role.action = s["Action"].as_str().expect("action").into();
    if let Some(Value::Object(ops)) = s.get("Condition") {
        for (op, entries) in ops {
            for (key, v) in entries.as_object().expect("condition entries") {
                role.conditions.insert((op.clone(), key.clone(), value(v)));
            }
        }
    }
}

// ---------------------------------------------------------------- CloudFormation

fn cfn_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) if o.get("Ref") == Some(&Value::from("AWS::AccountId")) => ACCOUNT.into(),
        Value::Object(o) if o.get("Ref") == Some(&Value::from("AWS::Region")) => REGION.into(),
        Value::Object(o) if o.contains_key("Fn::Sub") => o["Fn::Sub"]
            .as_str()
            .expect("Fn::Sub string")
            .replace("${AWS::AccountId}", ACCOUNT)
            .replace("${AWS::Region}", REGION)
            .replace("${!", "${"),
        other => panic!("unexpected CloudFormation value {other}"),
    }
}

fn cfn_meaning(t: &Value) -> Meaning {
    let resources = t["Resources"].as_object().expect("Resources");
    let role_name = |v: &Value| -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Object(o) => {
                let id = o["Ref"].as_str().expect("Ref");
                resources[id]["Properties"]["RoleName"]
                    .as_str()
                    .expect("RoleName")
                    .into()
            }
            other => panic!("unexpected role reference {other}"),
        }
    };
    let mut m = Meaning::default();
    for r in resources.values() {
        let p = &r["Properties"];
        match r["Type"].as_str().expect("Type") {
            "AWS::IAM::Role" => {
                let name = p["RoleName"].as_str().expect("RoleName").to_string();
                let mut role = RoleMeaning {
                    path: opt_str(p.get("Path")),
                    description: opt_str(p.get("Description")),
                    permissions_boundary: opt_str(p.get("PermissionsBoundary")),
                    max_session_duration: opt_str(p.get("MaxSessionDuration")),
                    ..RoleMeaning::default()
                };
                trust_of(&p["AssumeRolePolicyDocument"], &mut role, cfn_value);
                if let Some(arns) = p.get("ManagedPolicyArns") {
                    for arn in strings(arns) {
                        m.attachments
                            .insert((name.clone(), format!("managed:{arn}")));
                    }
                }
                for tag in p
                    .get("Tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    m.role_tags.insert((
                        name.clone(),
                        opt_str(tag.get("Key")),
                        opt_str(tag.get("Value")),
                    ));
                }
                m.roles.insert(name, role);
            }
            "AWS::IAM::ManagedPolicy" => {
                let name = p["ManagedPolicyName"].as_str().expect("name").to_string();
                let path = opt_str(p.get("Path"));
                statement_grants(&p["PolicyDocument"], &name, &path, &mut m.policy_grants);
                for role in p["Roles"].as_array().expect("Roles") {
                    m.attachments
                        .insert((role_name(role), format!("custom:{name}")));
                }
            }
            "AWS::SSM::ServiceSetting" => {
                let role = r["DependsOn"].as_str().expect("DependsOn the role");
                m.service_settings.insert((
                    opt_str(p.get("SettingId")),
                    opt_str(p.get("SettingValue")),
                    role_name(&serde_json::json!({ "Ref": role })),
                ));
            }
            "AWS::IAM::InstanceProfile" => {
                let roles = p["Roles"].as_array().expect("Roles");
                assert_eq!(roles.len(), 1);
                m.instance_profiles.insert((
                    opt_str(p.get("InstanceProfileName")),
                    opt_str(p.get("Path")),
                    role_name(&roles[0]),
                ));
            }
            other => panic!("unexpected resource type {other}"),
        }
    }
    m.derive_role_grants();
    m
}

// ---------------------------------------------------------------- Terraform JSON

struct Tf<'a> {
    root: &'a Map<String, Value>,
}

impl Tf<'_> {
    fn resources(&self, kind: &str) -> Vec<(&String, &Map<String, Value>)> {
        self.root
            .get("resource")
            .and_then(|r| r.get(kind))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k, v.as_object().expect("resource body")))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn resource(&self, kind: &str, name: &str) -> &Map<String, Value> {
        self.root["resource"][kind][name]
            .as_object()
            .unwrap_or_else(|| panic!("{kind}.{name} is referenced but not declared"))
    }

    fn data_declared(&self, kind: &str) -> bool {
        self.root
            .get("data")
            .and_then(|d| d.get(kind))
            .and_then(|k| k.get("current"))
            .is_some()
    }

    /// Evaluates a Terraform JSON string template: `$${` and `%%{` are literal
    /// `${` and `%{`; `${EXPR}` is one of the expressions this backend writes. A
    /// string made of one interpolation yields that expression's value.
    fn eval_str(&self, s: &str) -> Value {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            if (c == '$' || c == '%') && next == Some(c) && chars.get(i + 2) == Some(&'{') {
                out.push(c);
                out.push('{');
                i += 3;
            } else if c == '%' && next == Some('{') {
                panic!("template directive in {s:?}");
            } else if c == '$' && next == Some('{') {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '}')
                    .expect("closed interpolation")
                    + i;
                let expr: String = chars[i + 2..end].iter().collect();
                let value = self.eval_expr(&expr);
                if i == 0 && end == chars.len() - 1 {
                    return value;
                }
                out.push_str(
                    value
                        .as_str()
                        .unwrap_or_else(|| panic!("interpolating a non-string in {s:?}")),
                );
                i = end + 1;
            } else {
                out.push(c);
                i += 1;
            }
        }
        Value::String(out)
    }

    fn eval_expr(&self, expr: &str) -> Value {
        // How Terraform JSON spells a lone carriage return (after literal `$`s).
        if let Some(dollars) = expr.strip_prefix('"').and_then(|e| e.strip_suffix("\\r\""))
            && dollars.chars().all(|c| c == '$')
        {
            return format!("{dollars}\r").into();
        }
        if expr == "data.aws_caller_identity.current.account_id" {
            assert!(
                self.data_declared("aws_caller_identity"),
                "{expr} undeclared"
            );
            return ACCOUNT.into();
        }
        if expr == "data.aws_region.current.region" {
            assert!(self.data_declared("aws_region"), "{expr} undeclared");
            return REGION.into();
        }
        if let Some(local) = expr
            .strip_prefix("jsonencode(local.")
            .and_then(|s| s.strip_suffix(')'))
        {
            let doc = &self.root["locals"][local];
            assert!(!doc.is_null(), "local {local} undeclared");
            return self.eval(doc);
        }
        let parts: Vec<&str> = expr.split('.').collect();
        match parts.as_slice() {
            ["aws_iam_role", name, "name"] => {
                self.eval(&self.resource("aws_iam_role", name)["name"])
            }
            ["aws_iam_policy", name, "arn"] => {
                let policy = self.eval(&self.resource("aws_iam_policy", name)["name"]);
                format!("custom:{}", policy.as_str().expect("policy name")).into()
            }
            _ => panic!("unexpected expression ${{{expr}}}"),
        }
    }

    fn eval(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => self.eval_str(s),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.eval(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = self.eval_str(k);
                        (key.as_str().expect("string key").to_string(), self.eval(v))
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn field(&self, body: &Map<String, Value>, key: &str) -> String {
        opt_str(body.get(key).map(|v| self.eval(v)).as_ref())
    }
}

const ROLE_ARGS: &[&str] = &[
    "name",
    "path",
    "description",
    "permissions_boundary",
    "max_session_duration",
    "assume_role_policy",
    "tags",
];
const POLICY_ARGS: &[&str] = &["//", "name", "path", "policy", "tags"];
const ATTACHMENT_ARGS: &[&str] = &["//", "role", "policy_arn"];
const PROFILE_ARGS: &[&str] = &["name", "path", "role", "tags"];
const SETTING_ARGS: &[&str] = &["//", "setting_id", "setting_value", "depends_on"];

fn only_args(body: &Map<String, Value>, allowed: &[&str], what: &str) {
    for k in body.keys() {
        assert!(
            allowed.contains(&k.as_str()),
            "{what}: unexpected argument {k} (managed_policy_arns and inline_policy are never written)"
        );
    }
}

fn tf_meaning(root: &Value) -> Meaning {
    let tf = Tf {
        root: root.as_object().expect("root object"),
    };
    let mut m = Meaning::default();
    for (addr, body) in tf.resources("aws_iam_role") {
        only_args(body, ROLE_ARGS, addr);
        let name = tf.field(body, "name");
        let mut role = RoleMeaning {
            path: tf.field(body, "path"),
            description: tf.field(body, "description"),
            permissions_boundary: tf.field(body, "permissions_boundary"),
            max_session_duration: tf.field(body, "max_session_duration"),
            ..RoleMeaning::default()
        };
        let trust = tf.eval(&body["assume_role_policy"]);
        trust_of(&trust, &mut role, |v| {
            v.as_str().expect("condition value").to_string()
        });
        if let Some(tags) = body.get("tags") {
            for (k, v) in tf.eval(tags).as_object().expect("tags map") {
                m.role_tags
                    .insert((name.clone(), k.clone(), opt_str(Some(v))));
            }
        }
        m.roles.insert(name, role);
    }
    for (addr, body) in tf.resources("aws_iam_policy") {
        only_args(body, POLICY_ARGS, addr);
        let name = tf.field(body, "name");
        let doc = tf.eval(&body["policy"]);
        statement_grants(&doc, &name, &tf.field(body, "path"), &mut m.policy_grants);
    }
    for (addr, body) in tf.resources("aws_iam_role_policy_attachment") {
        only_args(body, ATTACHMENT_ARGS, addr);
        let policy = tf.field(body, "policy_arn");
        let policy = if policy.starts_with("custom:") {
            policy
        } else {
            format!("managed:{policy}")
        };
        m.attachments.insert((tf.field(body, "role"), policy));
    }
    for (addr, body) in tf.resources("aws_iam_instance_profile") {
        only_args(body, PROFILE_ARGS, addr);
        m.instance_profiles.insert((
            tf.field(body, "name"),
            tf.field(body, "path"),
            tf.field(body, "role"),
        ));
    }
    for (addr, body) in tf.resources("aws_ssm_service_setting") {
        only_args(body, SETTING_ARGS, addr);
        let arn = tf.field(body, "setting_id");
        let (_, id) = arn
            .split_once(&format!(":ssm:{REGION}:{ACCOUNT}:servicesetting"))
            .unwrap_or_else(|| {
                panic!("{addr}: {arn} is not a setting ARN of this account and region")
            });
        let [role] = body["depends_on"]
            .as_array()
            .expect("depends_on")
            .as_slice()
        else {
            panic!("{addr}: depends on one role");
        };
        let role = role.as_str().expect("an address");
        let role = role.strip_prefix("aws_iam_role.").expect("a role");
        let role = tf.field(tf.resource("aws_iam_role", role), "name");
        m.service_settings
            .insert((id.to_string(), tf.field(body, "setting_value"), role));
    }
    m.derive_role_grants();
    m
}

// ---------------------------------------------------------------- the model

fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Part::Literal(s) => s.as_str(),
            Part::AccountId => ACCOUNT,
            Part::Region => REGION,
        })
        .collect()
}

fn model_meaning(model: &Model) -> Meaning {
    let mut m = Meaning::default();
    for p in &model.profiles {
        let role_name = p.role.name().to_string();
        if let RoleRef::Create(r) = &p.role {
            m.roles.insert(
                role_name.clone(),
                RoleMeaning {
                    path: r.path.clone().unwrap_or_default(),
                    description: r.description.clone().unwrap_or_default(),
                    permissions_boundary: r.permissions_boundary.clone().unwrap_or_default(),
                    max_session_duration: r
                        .max_session_duration
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    principal: r.trust.service.clone(),
                    action: "sts:AssumeRole".into(),
                    conditions: r
                        .trust
                        .each_condition()
                        .map(|(op, c)| (op.into(), c.key.into(), text(&c.value)))
                        .collect(),
                },
            );
            for t in &p.tags {
                m.role_tags
                    .insert((role_name.clone(), t.key.clone(), t.value.clone()));
            }
        }
        for mp in &p.managed_policies {
            m.attachments
                .insert((role_name.clone(), format!("managed:{}", mp.arn)));
        }
        for c in &p.custom_policies {
            let path = c.path.clone().unwrap_or_default();
            statement_grants(&c.document(), &c.name, &path, &mut m.policy_grants);
            m.attachments
                .insert((role_name.clone(), format!("custom:{}", c.name)));
        }
        if let Some(ip) = &p.instance_profile {
            m.instance_profiles.insert((
                ip.name.clone(),
                ip.path.clone().unwrap_or_default(),
                role_name.clone(),
            ));
        }
        if let Some(s) = &p.service_setting {
            m.service_settings
                .insert((s.id.to_string(), s.value.clone(), s.role.clone()));
        }
    }
    m.derive_role_grants();
    m
}

// ---------------------------------------------------------------- the test

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("spec.yaml").exists() || p.join("spec.json").exists())
        .collect();
    dirs.sort();
    dirs
}

fn load(dir: &Path) -> Model {
    let spec = ["spec.yaml", "spec.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .expect("spec");
    let source = Source::new(
        spec.file_name().unwrap().to_string_lossy().to_string(),
        fs::read_to_string(&spec).expect("read spec"),
    );
    ssm_profile::load(&source).expect("valid fixture")
}

#[test]
fn terraform_means_what_cloudformation_means() {
    let mut compared_with_cfn = 0;
    let mut split = 0;
    let mut failures = Vec::new();
    let dirs = fixtures();
    assert!(dirs.len() >= 16, "fixtures not found");
    for dir in &dirs {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let model = load(dir);
        let tf_text = Output::by_golden("terraform.tf.json")
            .unwrap()
            .render(&model, RenderOptions::default())
            .expect("terraform renders");
        let tf: Value = serde_json::from_str(&tf_text).expect("terraform JSON parses");
        let tf = tf_meaning(&tf);
        let from_model = model_meaning(&model);
        if tf != from_model {
            failures.push(format!(
                "{case}: Terraform differs from the model\n terraform: {tf:#?}\n model: {from_model:#?}"
            ));
        }
        // A spec too large for one stack: its stacks together, as `--out-dir` writes them.
        let stacks = Output::by_golden("cloudformation.json")
            .unwrap()
            .generate_files(&model, "spec.yaml", RenderOptions::default());
        if let Ok(files) = &stacks
            && files.len() > 1
        {
            let (mut resources, mut outputs) = (Map::new(), Map::new());
            for f in files {
                let t: Value = serde_json::from_str(&f.text).expect("a stack's JSON parses");
                resources.extend(t["Resources"].as_object().unwrap().clone());
                outputs.extend(t["Outputs"].as_object().unwrap().clone());
            }
            let merged = serde_json::json!({ "Resources": resources, "Outputs": outputs });
            split += 1;
            compared_with_cfn += 1;
            let cfn = cfn_meaning(&merged);
            if tf != cfn {
                failures.push(format!(
                    "{case}: Terraform differs from CloudFormation's stacks together\n terraform: {tf:#?}\n cloudformation: {cfn:#?}"
                ));
            }
            continue;
        }
        match cfn_template(&model) {
            Ok(t) => {
                compared_with_cfn += 1;
                let cfn = cfn_meaning(&t);
                if tf != cfn {
                    failures.push(format!(
                        "{case}: Terraform differs from CloudFormation\n terraform: {tf:#?}\n cloudformation: {cfn:#?}"
                    ));
                }
            }
            Err(refusal)
                if refusal
                    .to_string()
                    .contains("ManagedPolicyArns holds 20 at most") =>
            {
                // More than 20 ARNs on one role: Terraform attaches every one.
                let why = refusal.to_string();
                let by_arn: usize = model
                    .profiles
                    .iter()
                    .map(|p| p.managed_policies.len())
                    .sum();
                assert!(by_arn > 20, "{case}: {why}");
                assert_eq!(
                    tf.attachments
                        .iter()
                        .filter(|(_, p)| p.starts_with("managed:"))
                        .count(),
                    by_arn,
                    "{case}: Terraform attaches every managed policy CloudFormation refused"
                );
            }
            Err(refusal) => {
                let why = refusal.to_string();
                // Otherwise only refusals about existing roles are expected; Terraform
                // must still attach every managed policy to the existing role.
                assert!(why.contains("existing role"), "{case}: {why}");
                assert!(
                    tf.attachments
                        .iter()
                        .any(|(_, p)| p.starts_with("managed:")),
                    "{case}: the managed policies CloudFormation refused are attached"
                );
                assert!(tf.roles.is_empty(), "{case}: no role is created");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(compared_with_cfn >= 15, "only {compared_with_cfn} compared");
    assert!(
        split >= 1,
        "no fixture is split into stacks (fixtures/multi-stack)"
    );
}

#[test]
fn hostile_strings_round_trip_through_terraform_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile-strings");
    let model = load(&dir);
    let p = &model.profiles[0];
    let RoleRef::Create(role) = &p.role else {
        panic!("the fixture creates its role")
    };
    let description = role.description.as_deref().expect("a description");
    for needle in [
        "\"",
        "\\",
        "${aws:username}",
        "%{ if",
        "\n",
        "\r",
        "\t",
        "#",
        "//",
        "*/",
        "'",
        "ü",
        "ÿ",
    ] {
        assert!(description.contains(needle), "fixture lacks {needle:?}");
    }
    let tf: Value = serde_json::from_str(
        &Output::by_golden("terraform.tf.json")
            .unwrap()
            .render(&model, RenderOptions::default())
            .unwrap(),
    )
    .unwrap();
    let m = tf_meaning(&tf);
    assert_eq!(m.roles[&role.name].description, description);
    let tags: BTreeSet<_> = m.role_tags.iter().map(|(_, k, v)| (k, v)).collect();
    assert_eq!(tags.len(), p.tags.len());
    for t in &p.tags {
        assert!(tags.contains(&(&t.key, &t.value)), "tag {} lost", t.key);
    }
    assert!(
        m.attachments
            .iter()
            .any(|(_, a)| a
                == "managed:arn:aws:iam::111122223333:policy/odd.path,a+b@c=d_e-f/Extras"),
        "the policy ARN with every punctuation IAM allows in a path round-trips"
    );
}
