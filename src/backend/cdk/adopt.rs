//! An adopted profile's constructs in the CDK: retained, and given the logical IDs
//! of the CloudFormation target, which the resource mapping of `cdk import` names
//! (`backend::adoption`).

use super::Language;
use super::code::Spell;
use crate::model::Profile;

/// For each construct of an adopted profile (in `adoption::imports`' order, which
/// `members` follows): `RemovalPolicy.RETAIN`, and the logical ID of the
/// CloudFormation target, which the resource mapping names.
pub(super) fn lines(spell: Spell, members: &[String], p: &Profile) -> Vec<String> {
    let imports = crate::backend::adoption::imports(p);
    let mut lines = Vec::new();
    for (member, import) in members.iter().zip(&imports) {
        let id = spell.string(&import.logical_id);
        match spell.0 {
            Language::TypeScript => {
                let this = format!("this.{member}");
                lines.push(spell.call(
                    (4, ";"),
                    (0, ""),
                    &format!("{this}.applyRemovalPolicy"),
                    &["RemovalPolicy.RETAIN".into()],
                ));
                lines.push(spell.call(
                    (4, ";"),
                    (0, ""),
                    &format!("({this}.node.defaultChild as CfnResource).overrideLogicalId"),
                    &[id],
                ));
            }
            Language::Python => {
                let this = format!("self.{member}");
                lines.push(spell.call(
                    (0, ""),
                    (8, ""),
                    &format!("{this}.apply_removal_policy"),
                    &["cdk.RemovalPolicy.RETAIN".into()],
                ));
                lines.push(spell.call(
                    (0, ""),
                    (8, ""),
                    "adopted = cast",
                    &[
                        "cdk.CfnResource".into(),
                        format!("{this}.node.default_child"),
                    ],
                ));
                lines.push(spell.call((0, ""), (8, ""), "adopted.override_logical_id", &[id]));
            }
        }
    }
    lines
}
