//! Each output reduced to one canonical meaning (`Meaning`), read from the data of
//! a CloudFormation template and of a Terraform JSON configuration: what
//! tests/terraform_equivalence.rs compares, with the model's own meaning.

#![allow(dead_code)] // each test file uses a part

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

pub const ACCOUNT: &str = "{ACCOUNT}";
pub const REGION: &str = "{REGION}";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Meaning {
    /// name -> (path, description, boundary, max session, principal, conditions)
    pub roles: BTreeMap<String, RoleMeaning>,
    /// (role, key, value)
    pub role_tags: BTreeSet<(String, String, String)>,
    /// (policy name, path, sid, action, resource)
    pub policy_grants: BTreeSet<(String, String, String, String, String)>,
    /// (role name, `managed:ARN` or `custom:NAME`)
    pub attachments: BTreeSet<(String, String)>,
    /// (instance profile name, path, role name)
    pub instance_profiles: BTreeSet<(String, String, String)>,
    /// (role, action, resource) through attached customer policies
    pub role_grants: BTreeSet<(String, String, String)>,
    /// (setting ID, value, the role it waits for): Default Host Management
    pub service_settings: BTreeSet<(String, String, String)>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct RoleMeaning {
    pub path: String,
    pub description: String,
    pub permissions_boundary: String,
    pub max_session_duration: String,
    pub principal: String,
    pub action: String,
    /// (operator, key, value)
    pub conditions: BTreeSet<(String, String, String)>,
}

impl Meaning {
    pub fn derive_role_grants(&mut self) {
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

pub fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strings).collect(),
        // A CloudFormation string built at deploy time (a parameter ARN of the
        // deploying account is an `Fn::Sub`).
        Value::Object(_) => vec![cfn_value(v)],
        other => panic!("expected a string or a list of strings, got {other}"),
    }
}

pub fn opt_str(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => panic!("unexpected value {other}"),
    }
}

pub fn statement_grants(
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

pub fn trust_of(doc: &Value, role: &mut RoleMeaning, value: impl Fn(&Value) -> String) {
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

pub fn cfn_value(v: &Value) -> String {
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

pub fn cfn_meaning(t: &Value) -> Meaning {
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

pub struct Tf<'a> {
    root: &'a Map<String, Value>,
}

impl Tf<'_> {
    pub fn resources(&self, kind: &str) -> Vec<(&String, &Map<String, Value>)> {
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

    pub fn resource(&self, kind: &str, name: &str) -> &Map<String, Value> {
        self.root["resource"][kind][name]
            .as_object()
            .unwrap_or_else(|| panic!("{kind}.{name} is referenced but not declared"))
    }

    pub fn data_declared(&self, kind: &str) -> bool {
        self.root
            .get("data")
            .and_then(|d| d.get(kind))
            .and_then(|k| k.get("current"))
            .is_some()
    }

    /// Evaluates a Terraform JSON string template: `$${` and `%%{` are literal
    /// `${` and `%{`; `${EXPR}` is one of the expressions this backend writes. A
    /// string made of one interpolation yields that expression's value.
    pub fn eval_str(&self, s: &str) -> Value {
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

    pub fn eval_expr(&self, expr: &str) -> Value {
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

    pub fn eval(&self, v: &Value) -> Value {
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

    pub fn field(&self, body: &Map<String, Value>, key: &str) -> String {
        opt_str(body.get(key).map(|v| self.eval(v)).as_ref())
    }
}

pub const ROLE_ARGS: &[&str] = &[
    "name",
    "path",
    "description",
    "permissions_boundary",
    "max_session_duration",
    "assume_role_policy",
    "tags",
];
pub const POLICY_ARGS: &[&str] = &["//", "name", "path", "policy", "tags"];
pub const ATTACHMENT_ARGS: &[&str] = &["//", "role", "policy_arn"];
pub const PROFILE_ARGS: &[&str] = &["name", "path", "role", "tags"];
pub const SETTING_ARGS: &[&str] = &["//", "setting_id", "setting_value", "depends_on"];

pub fn only_args(body: &Map<String, Value>, allowed: &[&str], what: &str) {
    for k in body.keys() {
        assert!(
            allowed.contains(&k.as_str()),
            "{what}: unexpected argument {k} (managed_policy_arns and inline_policy are never written)"
        );
    }
}

pub fn tf_meaning(root: &Value) -> Meaning {
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
