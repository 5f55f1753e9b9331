//! One profile's Terraform context: its role (or the existing one it names), policies,
//! attachments, instance profile, DHMC setting and outputs, each under an address
//! claimed in spec order from the whole configuration's `Names`.

use super::super::addresses::{input_attachment, managed_attachment};
use super::super::expr::Expr;
use super::{
    AttachmentCtx, Attr, Attrs, InstanceProfileCtx, Layout, Names, OutputCtx, PolicyCtx,
    ProfileCtx, RoleCtx, ServiceSettingCtx, Spell, StatementCtx, Tags, TagsLocal, hcl_resources,
    tags_of, trust_ctx,
};
use crate::backend::describe::{self, Attribute, Resource};
use crate::backend::naming::{Unique, snake_case};
use crate::model::{Kind, Profile, RoleRef};

/// The addresses one profile claims from the configuration's `Names`, in the order
/// a whole configuration claims them: all a profile's context takes from the
/// profiles before it.
pub(super) struct Claimed {
    address: String,
    /// The attachment of each managed policy, in the model's order.
    managed: Vec<String>,
    /// Each custom policy's address and its attachment's.
    policies: Vec<(String, String)>,
    /// A module's attachment of its `additional_policy_arns` input.
    input: Option<String>,
    /// Each stack output's name (`describe::stack_outputs`' order).
    outputs: Vec<String>,
    /// Every name is the one asked for (none numbered).
    pub(super) free: bool,
}

pub(super) fn claim(p: &Profile, names: &mut Names, layout: Layout) -> Claimed {
    let mut free = true;
    let mut take = |unique: &mut Unique, base: &str| {
        let name = unique.claim(base);
        free &= name == base;
        name
    };
    let address = take(&mut names.profiles, &snake_case(&p.id));
    let managed = (p.managed_policies.iter())
        .map(|m| {
            take(
                &mut names.attachments,
                &managed_attachment(&address, &m.arn),
            )
        })
        .collect();
    let policies = (p.custom_policies.iter())
        .map(|c| {
            let policy = take(&mut names.policies, &snake_case(&c.id));
            let attachment = take(&mut names.attachments, &policy);
            (policy, attachment)
        })
        .collect();
    let input = match layout {
        Layout::Root => None,
        Layout::Module(_) => Some(take(&mut names.attachments, &input_attachment(&address))),
    };
    let outputs = (describe::stack_outputs(p).iter())
        .map(|o| {
            let base = format!("{address}_{}", snake_case(o.suffix()));
            take(&mut names.outputs, &base)
        })
        .collect();
    Claimed {
        address,
        managed,
        policies,
        input,
        outputs,
        free,
    }
}

pub(super) fn profile_ctx<'m>(
    index: usize,
    p: &'m Profile,
    claimed: Claimed,
    layout: Layout,
    spell: Spell,
) -> ProfileCtx<'m> {
    let Claimed {
        address,
        managed,
        policies: policy_addresses,
        input,
        outputs: output_names,
        ..
    } = claimed;
    let tagging = Tagging::new(p, &address, layout);
    let tags = tagging.tags.clone();
    let with_tags = |items: Vec<Attr>| tagging.with(items);
    let (role, existing_role, role_name) = role_ctx(index, p, &address, layout, &tagging);
    let attach = |address: String, reason: String, policy_arn: Expr| AttachmentCtx {
        address,
        reason,
        count: None,
        attrs: Attrs::new(vec![
            Attr::new("role", role_name.clone()),
            Attr::new("policy_arn", policy_arn),
        ]),
    };

    let mut attachments = Vec::new();
    for (m, address) in p.managed_policies.iter().zip(managed) {
        attachments.push(attach(address, m.reason.clone(), Expr::string(&m.arn)));
    }

    let mut policies = Vec::new();
    for (c, (policy_address, attachment)) in p.custom_policies.iter().zip(policy_addresses) {
        policies.push(PolicyCtx {
            address: policy_address.clone(),
            attrs: Attrs::new(with_tags(layout.name_and_path(
                index,
                &c.name,
                c.path.as_deref(),
            ))),
            statements: &c.statements,
            hcl: c
                .statements
                .iter()
                .filter(|_| spell == Spell::Hcl)
                .map(|s| {
                    let resources = match layout {
                        Layout::Module(inputs) => match inputs.not_resource(index, p, s) {
                            Some(list) => vec![list],
                            None => hcl_resources(s),
                        },
                        Layout::Root => hcl_resources(s),
                    };
                    StatementCtx::new(s, resources)
                })
                .collect(),
            document_local: format!("{policy_address}_document"),
            tags: tags.clone(),
        });
        attachments.push(attach(
            attachment,
            format!("the policy {} written above", c.name),
            layout.instance("aws_iam_policy", &policy_address, "arn"),
        ));
    }
    let additional = match (layout, input) {
        (Layout::Module(inputs), Some(address)) => {
            let mut a = attach(
                address,
                "the policies of the additional_policy_arns input".to_string(),
                inputs.additional_arn(),
            );
            a.count = Some(inputs.additional_count());
            Some(a)
        }
        _ => None,
    };

    let instance_profile = p.instance_profile.as_ref().map(|ip| {
        let mut items = layout.name_and_path(index, &ip.name, ip.path.as_deref());
        items.push(Attr::new("role", role_name.clone()));
        let items = with_tags(items);
        InstanceProfileCtx {
            address: address.clone(),
            attrs: Attrs::new(items),
            tags: tags.clone(),
        }
    });

    let service_setting = p.service_setting.as_ref().map(|s| ServiceSettingCtx {
        address: address.clone(),
        purpose: "Default Host Management: the account setting, in this region, that names the role above",
        attrs: Attrs::new(vec![
            Attr::new("setting_id", Expr::text(&s.arn)),
            Attr::new(
                "setting_value",
                layout.setting_value(index, &s.role, &s.value),
            ),
        ]),
        depends_on: format!("aws_iam_role.{address}"),
    });

    let outputs = outputs_ctx(p, &address, output_names, layout);

    ProfileCtx {
        name: p.name.clone(),
        kind: match p.kind {
            Kind::InstanceProfile => "instance profile",
            Kind::HybridServiceRole => "hybrid service role",
            Kind::DefaultHostManagement => "Default Host Management role and setting",
        },
        tags_local: tagging.local,
        additional,
        role,
        existing_role,
        policies,
        attachments,
        instance_profile,
        service_setting,
        outputs,
    }
}

/// How a profile's resources carry its tags: a root configuration writes the spec's
/// tags on every resource; a module reads them from one local (or the input alone)
/// so the `tags` input merges over them.
struct Tagging {
    tags: Option<Tags>,
    attr: Option<Attr>,
    local: Option<TagsLocal>,
}

impl Tagging {
    fn new(p: &Profile, address: &str, layout: Layout) -> Tagging {
        match layout {
            Layout::Root => Tagging {
                tags: tags_of(p),
                attr: None,
                local: None,
            },
            Layout::Module(_) => {
                let local = tags_of(p).map(|tags| TagsLocal {
                    name: format!("{address}_tags"),
                    tags,
                });
                let value = match &local {
                    Some(l) => format!("local.{}", l.name),
                    None => "var.tags".to_string(),
                };
                Tagging {
                    tags: None,
                    attr: Some(Attr::new("tags", Expr::reference(value))),
                    local,
                }
            }
        }
    }

    /// `items` and the tags attribute, where the layout has one.
    fn with(&self, mut items: Vec<Attr>) -> Vec<Attr> {
        items.extend(self.attr.clone());
        items
    }
}

/// The role this profile creates (or the existing one it names) and the expression
/// of its name that attachments and the instance profile refer to.
fn role_ctx<'m>(
    index: usize,
    p: &'m Profile,
    address: &str,
    layout: Layout,
    tagging: &Tagging,
) -> (Option<RoleCtx<'m>>, Option<String>, Expr) {
    match &p.role {
        RoleRef::Create(r) => {
            let mut items = layout.name_and_path(index, &r.name, r.path.as_deref());
            if let Some(d) = &r.description {
                items.push(Attr::new("description", Expr::string(d)));
            }
            match layout {
                Layout::Root => {
                    if let Some(b) = &r.permissions_boundary {
                        items.push(Attr::new("permissions_boundary", Expr::string(b)));
                    }
                }
                Layout::Module(inputs) => {
                    items.push(Attr::new("permissions_boundary", inputs.boundary(index)))
                }
            }
            if let Some(s) = r.max_session_duration {
                items.push(Attr::new("max_session_duration", Expr::Number(s)));
            }
            let items = tagging.with(items);
            let role = RoleCtx {
                address: address.to_string(),
                attrs: Attrs::new(items),
                trust: trust_ctx(p.kind, &r.trust),
                trust_local: format!("{address}_trust_policy"),
                tags: tagging.tags.clone(),
            };
            let name = layout.instance("aws_iam_role", address, "name");
            (Some(role), None, name)
        }
        RoleRef::Existing { name } => (None, Some(name.clone()), Expr::string(name)),
    }
}

/// The stack outputs of a profile, each under the name claimed for it.
fn outputs_ctx(p: &Profile, address: &str, names: Vec<String>, layout: Layout) -> Vec<OutputCtx> {
    describe::stack_outputs(p)
        .into_iter()
        .zip(names)
        .map(|(o, name)| {
            let resource = match o.resource {
                Resource::Role => "aws_iam_role",
                Resource::InstanceProfile => "aws_iam_instance_profile",
            };
            let attribute = match o.attribute {
                Attribute::Arn => "arn",
                Attribute::Name => "name",
            };
            OutputCtx {
                name,
                attrs: Attrs::new(vec![
                    Attr::new("description", Expr::string(&o.description)),
                    Attr::new("value", layout.output(resource, address, attribute)),
                ]),
            }
        })
        .collect()
}
