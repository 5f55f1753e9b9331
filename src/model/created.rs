//! What a profile creates, as every backend and `explain` read it: the names with
//! the IAM rule that bounds each, the one path, the boundary, the policies its role
//! holds, and which of them are AWS's own. Decided here once, so no backend works it
//! out from the profile's parts again.

use super::{ManagedPolicy, Profile, RoleRef};
use crate::refdata::rules::{self, TextRule};

impl Profile {
    /// Each name this profile creates (its role's, its custom policies', its instance
    /// profile's), with the IAM rule that bounds it; an existing role's is not one.
    pub fn created_names(&self) -> Vec<(&str, &'static TextRule)> {
        let mut names: Vec<(&str, &'static TextRule)> = Vec::new();
        if let RoleRef::Create(r) = &self.role {
            names.push((&r.name, &rules::ROLE_NAME));
        }
        for c in &self.custom_policies {
            names.push((&c.name, &rules::POLICY_NAME));
        }
        if let Some(ip) = &self.instance_profile {
            names.push((&ip.name, &rules::INSTANCE_PROFILE_NAME));
        }
        names
    }

    /// The IAM path of the resources this profile creates (role, custom policies,
    /// instance profile: the spec gives them one path; `None` inside is IAM's `/`);
    /// `None` when it creates none of them.
    pub fn created_path(&self) -> Option<Option<&str>> {
        if let RoleRef::Create(r) = &self.role {
            return Some(r.path.as_deref());
        }
        if let Some(ip) = &self.instance_profile {
            return Some(ip.path.as_deref());
        }
        self.custom_policies.first().map(|c| c.path.as_deref())
    }

    /// The permissions boundary of the role this profile creates (`None` inside: no
    /// boundary); `None` for an existing role, which keeps its own.
    pub fn created_boundary(&self) -> Option<Option<&str>> {
        match &self.role {
            RoleRef::Create(r) => Some(r.permissions_boundary.as_deref()),
            RoleRef::Existing { .. } => None,
        }
    }

    /// The managed policies attached to the role, by ARN and written by ssm-profile:
    /// what counts against `managed_policy_quota`.
    pub fn attached_policies(&self) -> usize {
        self.managed_policies.len() + self.custom_policies.len()
    }

    /// The path and name of `m` when it is an AWS managed policy of this profile's
    /// partition (`service-role/AmazonSSMAutomationRole`), which a target may attach
    /// by name in the deploying partition; `None` for a customer's.
    pub fn aws_managed_name<'a>(&self, m: &'a ManagedPolicy) -> Option<&'a str> {
        aws_managed_path_and_name(self.arn_partition, &m.arn)
    }
}

/// The ARN of the AWS managed policy `path_and_name` in `partition`
/// (`arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole`): the one place
/// the model writes that shape.
pub(crate) fn aws_managed_arn(partition: &str, path_and_name: &str) -> String {
    format!("arn:{partition}:iam::aws:policy/{path_and_name}")
}

/// The path and name of `arn` when it is an AWS managed policy of `partition`, the
/// inverse of [`aws_managed_arn`]; `None` for a customer's or another partition's.
pub(crate) fn aws_managed_path_and_name<'a>(partition: &str, arn: &'a str) -> Option<&'a str> {
    arn.strip_prefix("arn:")?
        .strip_prefix(partition)?
        .strip_prefix(":iam::aws:policy/")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::model::Profile;
    use crate::source::Source;

    fn profile(fields: &str) -> Arc<Profile> {
        let spec = format!("version: 1\nprofiles:\n  - name: web\n{fields}");
        let model = crate::load(&Source::new("spec.yaml", spec)).expect("a valid spec");
        model.profiles[0].clone()
    }

    #[test]
    fn a_created_role_names_its_role_policies_and_instance_profile_with_their_rules() {
        let p = profile(concat!(
            "    path: /platform/ssm/\n",
            "    partition: aws-us-gov\n",
            "    permissions_boundary: arn:aws-us-gov:iam::111122223333:policy/Bound\n",
            "    s3: {buckets: [{name: my-logs}]}\n",
            "    managed_policies:\n",
            "      additional:\n",
            "        - arn:aws-us-gov:iam::aws:policy/service-role/AmazonSSMAutomationRole\n",
            "        - arn:aws-us-gov:iam::111122223333:policy/Mine\n",
        ));
        let names: Vec<(&str, usize)> = p
            .created_names()
            .into_iter()
            .map(|(n, rule)| (n, rule.max()))
            .collect();
        let policy = p.custom_policies[0].name.as_str();
        assert_eq!(names, [("web", 64), (policy, 128), ("web", 128)]);
        assert_eq!(p.created_path(), Some(Some("/platform/ssm/")));
        assert_eq!(
            p.created_boundary(),
            Some(Some("arn:aws-us-gov:iam::111122223333:policy/Bound"))
        );
        assert_eq!(p.attached_policies(), 4, "core, two by ARN, the S3 policy");
        let aws: Vec<Option<&str>> = p
            .managed_policies
            .iter()
            .map(|m| p.aws_managed_name(m))
            .collect();
        assert_eq!(
            aws,
            [
                Some("AmazonSSMManagedInstanceCore"),
                Some("service-role/AmazonSSMAutomationRole"),
                None
            ]
        );
    }

    #[test]
    fn an_existing_role_is_neither_named_nor_bounded_here() {
        let p = profile("    existing_role: LegacyAppRole\n    managed_policies: {core: false}\n");
        let names: Vec<&str> = p.created_names().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["web"], "the instance profile only");
        assert_eq!(p.created_path(), Some(None));
        assert_eq!(p.created_boundary(), None);
        assert_eq!(p.attached_policies(), 0);
    }
}
