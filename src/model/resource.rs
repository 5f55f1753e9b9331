//! A statement's resource: an ARN known when the file is written, or one of the
//! account the policy is deployed into (`parameter_store`'s names: "the listed names
//! as parameter ARNs of this account"). The account is a `Part::AccountId` of a
//! `Text`, which every backend already spells natively (`${AWS::AccountId}` in
//! `Fn::Sub`, `data.aws_caller_identity.current.account_id`, the CDK stack's
//! account), never a string a backend would have to recognise.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::{Part, Text};

/// The characters of an account ID, which IAM counts in the deployed policy
/// (`size`): the account is 12 digits.
pub const ACCOUNT_ID_CHARS: usize = 12;

/// The account in words, where a resource is shown rather than deployed (`explain`,
/// `impact`).
pub const DEPLOYING_ACCOUNT: &str = "<the deploying account>";

/// Which values known only at deploy time (`Part::AccountId`, `Part::Region`) any
/// text of a model holds: a Terraform configuration declares a data source for each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeployTime {
    pub account_id: bool,
    pub region: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// Known when the file is written. Shared: a fleet's profiles grant the same
    /// AWS-owned bucket ARNs, one copy each (`statements`).
    Literal(Arc<str>),
    /// `before`, then the account the policy is deployed into, then `after`.
    InAccount { before: Arc<str>, after: Arc<str> },
}

impl Resource {
    /// An ARN of the deploying account: `before` + the account + `after`.
    pub fn in_account(before: &str, after: &str) -> Resource {
        Resource::InAccount {
            before: before.into(),
            after: after.into(),
        }
    }

    /// The ARN, when all of it is known when the file is written.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Resource::Literal(s) => Some(s),
            Resource::InAccount { .. } => None,
        }
    }

    /// As a model text, for the backends that spell deploy-time parts.
    pub fn text(&self) -> Text {
        match self {
            Resource::Literal(s) => Text(vec![Part::Literal(s.to_string())]),
            Resource::InAccount { before, after } => Text(vec![
                Part::Literal(before.to_string()),
                Part::AccountId,
                Part::Literal(after.to_string()),
            ]),
        }
    }

    /// The ARN with `account` in the account's place (`explain`'s words, a test's
    /// stand-in, the live account `drift` reads).
    pub fn spelled(&self, account: &str) -> Cow<'_, str> {
        match self {
            Resource::Literal(s) => Cow::Borrowed(s),
            Resource::InAccount { before, after } => {
                Cow::Owned(format!("{before}{account}{after}"))
            }
        }
    }

    /// The ARN as `explain` and `impact` show it.
    pub fn in_words(&self) -> Cow<'_, str> {
        self.spelled(DEPLOYING_ACCOUNT)
    }

    /// The parts written as they are: every character of these reaches the policy.
    pub fn literal_parts(&self) -> impl Iterator<Item = &str> {
        let (first, second) = match self {
            Resource::Literal(s) => (&**s, None),
            Resource::InAccount { before, after } => (&**before, Some(&**after)),
        };
        std::iter::once(first).chain(second)
    }
}

impl From<&str> for Resource {
    fn from(s: &str) -> Resource {
        Resource::Literal(s.into())
    }
}

impl From<String> for Resource {
    fn from(s: String) -> Resource {
        Resource::Literal(s.into())
    }
}

impl From<Arc<str>> for Resource {
    fn from(s: Arc<str>) -> Resource {
        Resource::Literal(s)
    }
}

/// A literal as its string, an ARN of the account as its text's parts.
impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Resource::Literal(s) => serializer.serialize_str(s),
            Resource::InAccount { .. } => self.text().serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arn_of_the_account_holds_the_account_between_its_literal_parts() {
        let r = Resource::in_account("arn:aws:ssm:*:", ":parameter/app/*");
        assert_eq!(r.literal(), None);
        assert_eq!(
            r.text(),
            Text(vec![
                Part::Literal("arn:aws:ssm:*:".into()),
                Part::AccountId,
                Part::Literal(":parameter/app/*".into()),
            ])
        );
        assert_eq!(
            r.spelled("123456789012"),
            "arn:aws:ssm:*:123456789012:parameter/app/*"
        );
        assert_eq!(
            r.literal_parts().collect::<Vec<_>>(),
            ["arn:aws:ssm:*:", ":parameter/app/*"]
        );
        let l = Resource::from("arn:aws:s3:::b/*");
        assert_eq!(l.literal(), Some("arn:aws:s3:::b/*"));
        assert_eq!(l.spelled("x"), "arn:aws:s3:::b/*");
    }
}
