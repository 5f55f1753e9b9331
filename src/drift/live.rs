//! Reading what `aws iam get-account-authorization-details --filter Role
//! LocalManagedPolicy` prints (refdata::adoption::ACCOUNT_AUTHORIZATION_DETAILS):
//! the CLI's merged output, or its pages one after another (each with `IsTruncated`
//! and `Marker`), as AWS's API reference shapes them and as moto prints them (moto
//! leaves `PolicyName` and `PolicyId` out of `Policies[]`: a policy is found by its
//! ARN). The file is untrusted: its size is bounded before it is parsed, and what
//! it says is only compared, never acted on.

use serde_json::Value;

/// The largest dump read: an account's roles and customer managed policies with
/// every policy version run to megabytes, not hundreds of them.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// One role of the dump.
#[derive(Debug, Clone, Default)]
pub struct LiveRole {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub trust: Option<Value>,
    pub boundary: Option<String>,
    pub tags: Vec<(String, String)>,
    pub attached: Vec<String>,
    pub inline: Vec<String>,
    pub instance_profiles: Vec<LiveInstanceProfile>,
}

#[derive(Debug, Clone, Default)]
pub struct LiveInstanceProfile {
    pub name: String,
    pub path: String,
    pub roles: Vec<String>,
}

/// One customer managed policy, with its default version's document.
#[derive(Debug, Clone, Default)]
pub struct LivePolicy {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub document: Option<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Live {
    pub roles: Vec<LiveRole>,
    pub policies: Vec<LivePolicy>,
}

impl Live {
    /// The account the dump is of, from the first ARN that names one.
    pub fn account(&self) -> Option<String> {
        let arns = self.roles.iter().map(|r| &r.arn);
        let arns = arns.chain(self.policies.iter().map(|p| &p.arn));
        arns.filter_map(|arn| arn.split(':').nth(4))
            .find(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
    }

    /// Every instance profile, with the role that lists it (a profile holding no
    /// role appears under none, so not at all).
    pub fn instance_profiles(&self) -> impl Iterator<Item = &LiveInstanceProfile> {
        self.roles.iter().flat_map(|r| &r.instance_profiles)
    }
}

/// Reads the dump: the pages' lists merged, each policy's default version taken.
/// `Err` says why the text is not that command's output.
pub fn parse(text: &[u8]) -> Result<Live, String> {
    if text.len() > MAX_BYTES {
        return Err(format!(
            "the file is {} bytes; a dump of more than {MAX_BYTES} bytes is refused",
            text.len()
        ));
    }
    let mut live = Live::default();
    let mut pages = 0;
    let mut truncated = false;
    for page in serde_json::Deserializer::from_slice(text).into_iter::<Value>() {
        let page = page.map_err(|e| format!("not JSON: {e}"))?;
        let Value::Object(fields) = &page else {
            return Err("not the output of `aws iam get-account-authorization-details`: the document is not a JSON object".into());
        };
        if ![
            "RoleDetailList",
            "Policies",
            "UserDetailList",
            "GroupDetailList",
        ]
        .iter()
        .any(|k| fields.contains_key(*k))
        {
            return Err("not the output of `aws iam get-account-authorization-details`: it has no RoleDetailList and no Policies".into());
        }
        pages += 1;
        truncated = fields.get("IsTruncated") == Some(&Value::Bool(true));
        for (i, role) in list(&page, "RoleDetailList")?.iter().enumerate() {
            live.roles
                .push(role_detail(role).map_err(|e| format!("RoleDetailList[{i}]: {e}"))?);
        }
        for (i, policy) in list(&page, "Policies")?.iter().enumerate() {
            live.policies
                .push(policy_detail(policy).map_err(|e| format!("Policies[{i}]: {e}"))?);
        }
    }
    if pages == 0 {
        return Err("empty: expected the JSON that `aws iam get-account-authorization-details --filter Role LocalManagedPolicy` prints".into());
    }
    if truncated {
        return Err("the last page says `IsTruncated: true`: the dump is incomplete; let the AWS CLI merge the pages (leave out --no-paginate and --max-items), or append every page up to the one whose IsTruncated is false".into());
    }
    Ok(live)
}

fn list<'v>(v: &'v Value, key: &str) -> Result<&'v [Value], String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{key} is not a list")),
    }
}

fn string(v: &Value, key: &str) -> Result<String, String> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(format!("{key} is missing")),
        Some(_) => Err(format!("{key} is not a string")),
    }
}

fn optional(v: &Value, key: &str) -> Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{key} is not a string")),
    }
}

/// A policy document as the API returns it (URL-encoded JSON, RFC 3986), as the
/// AWS CLI prints it (decoded into an object), or as plain JSON text.
fn document(v: Option<&Value>) -> Result<Option<Value>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(doc @ Value::Object(_)) => Ok(Some(doc.clone())),
        Some(Value::String(s)) => {
            let text = if s.trim_start().starts_with('{') {
                s.clone()
            } else {
                percent_decode(s)
                    .ok_or("a policy document that is neither JSON nor URL-encoded JSON")?
            };
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("a policy document that is not JSON: {e}"))
        }
        Some(_) => Err("a policy document that is neither an object nor a string".into()),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn tags(v: &Value) -> Result<Vec<(String, String)>, String> {
    list(v, "Tags")?
        .iter()
        .map(|t| Ok((string(t, "Key")?, string(t, "Value")?)))
        .collect()
}

fn role_detail(v: &Value) -> Result<LiveRole, String> {
    let instance_profiles = list(v, "InstanceProfileList")?
        .iter()
        .map(|ip| {
            Ok(LiveInstanceProfile {
                name: string(ip, "InstanceProfileName")?,
                path: optional(ip, "Path")?.unwrap_or_else(|| "/".into()),
                roles: list(ip, "Roles")?
                    .iter()
                    .map(|r| string(r, "RoleName"))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(LiveRole {
        name: string(v, "RoleName")?,
        path: optional(v, "Path")?.unwrap_or_else(|| "/".into()),
        arn: optional(v, "Arn")?.unwrap_or_default(),
        trust: document(v.get("AssumeRolePolicyDocument"))?,
        boundary: match v.get("PermissionsBoundary") {
            Some(b @ Value::Object(_)) => optional(b, "PermissionsBoundaryArn")?,
            _ => None,
        },
        tags: tags(v)?,
        attached: list(v, "AttachedManagedPolicies")?
            .iter()
            .map(|a| string(a, "PolicyArn"))
            .collect::<Result<_, _>>()?,
        inline: list(v, "RolePolicyList")?
            .iter()
            .map(|p| string(p, "PolicyName"))
            .collect::<Result<_, _>>()?,
        instance_profiles,
    })
}

/// The default version: the one `IsDefaultVersion` marks, else the one whose
/// `VersionId` is `DefaultVersionId`.
fn policy_detail(v: &Value) -> Result<LivePolicy, String> {
    let arn = string(v, "Arn")?;
    let versions = list(v, "PolicyVersionList")?;
    let default_id = optional(v, "DefaultVersionId")?;
    let default = versions
        .iter()
        .find(|p| p.get("IsDefaultVersion") == Some(&Value::Bool(true)))
        .or_else(|| {
            versions.iter().find(|p| {
                default_id.is_some()
                    && p.get("VersionId").and_then(Value::as_str) == default_id.as_deref()
            })
        });
    let name = match optional(v, "PolicyName")? {
        Some(n) => n,
        // moto leaves PolicyName out: the ARN's last segment is the name.
        None => arn.rsplit('/').next().unwrap_or_default().to_string(),
    };
    let path = match optional(v, "Path")? {
        Some(p) => p,
        None => arn
            .split_once(":policy")
            .map(|(_, rest)| rest[..rest.len() - name.len()].to_string())
            .filter(|p| p.starts_with('/'))
            .unwrap_or_else(|| "/".into()),
    };
    Ok(LivePolicy {
        name,
        path,
        document: match default {
            Some(d) => document(d.get("Document"))?,
            None => None,
        },
        arn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoded_documents_are_decoded() {
        let doc = document(Some(&Value::String(
            "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D".into(),
        )))
        .unwrap()
        .unwrap();
        assert_eq!(doc["Version"], "2012-10-17");
    }

    #[test]
    fn pages_merge_and_a_truncated_end_is_refused() {
        let page = |role: &str, truncated: bool| {
            format!(
                r#"{{"RoleDetailList":[{{"RoleName":"{role}","Path":"/","Arn":"arn:aws:iam::111122223333:role/{role}"}}],"IsTruncated":{truncated}{}}}"#,
                if truncated { r#","Marker":"abc""# } else { "" }
            )
        };
        let two = format!("{}\n{}", page("A", true), page("B", false));
        let live = parse(two.as_bytes()).unwrap();
        assert_eq!(live.roles.len(), 2);
        assert_eq!(live.account().as_deref(), Some("111122223333"));
        let err = parse(page("A", true).as_bytes()).unwrap_err();
        assert!(err.contains("IsTruncated"), "{err}");
    }

    #[test]
    fn other_json_is_refused_with_what_was_expected() {
        for text in ["", "[]", "{\"Stacks\": []}", "{not json"] {
            let err = parse(text.as_bytes()).unwrap_err();
            assert!(
                err.contains("get-account-authorization-details") || err.contains("not JSON"),
                "{text}: {err}"
            );
        }
    }
}
