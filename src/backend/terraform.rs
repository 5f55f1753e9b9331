//! Terraform: HCL rendered by a minijinja template, and Terraform JSON built as data,
//! both from one `Context` so the two formats cannot drift apart.
//!
//! Choices the model leaves to this backend:
//! - Partition: ARNs are written with the spec's partition as literals, exactly as
//!   the CloudFormation backend writes them, so both mean the same in any account.
//!   Deploy-time account and region (hybrid roles without `hybrid.account_id` /
//!   `hybrid.region`) come from `data.aws_caller_identity.current.account_id` and
//!   `data.aws_region.current.region`, declared only when used.
//! - Addresses are snake_case forms of the model's identifier stems; a collision
//!   (possible only through case, e.g. `SSMProfile` and `SsmProfile`) gets `_2`,
//!   `_3`, ... in spec order, so names stay stable while later profiles are added.
//! - Managed policy attachments are named after the policy (last ARN segment):
//!   `<profile>_amazon_ssm_managed_instance_core`. Custom policy attachments share
//!   the policy's address.
//! - The `terraform { required_providers }` block is emitted unless the caller asks
//!   for module use (`--no-provider-block`): a module must not pin providers.
//! - Terraform JSON has no place for comments inside an expression, so its policy
//!   documents live in `locals` (readable objects) and resources `jsonencode` them;
//!   statement purposes go into a `//` comment property of the policy resource.
//!
//! `context` builds the `Context` (`addresses` names its attachments), `expr` spells argument values, `json` writes the
//! JSON syntax; the HCL template is `templates/terraform/main.tf.j2`. `module` writes
//! the same configuration as a module folder (`--layout module`), its `main.tf` from
//! the same template.

pub(crate) mod addresses;
pub mod adoption;
pub(crate) mod context;
mod expr;
mod json;
pub mod module;
mod rollout;
pub mod target;

/// The target's name, as `--target` takes it.
pub const NAME: &str = "terraform";

use std::sync::LazyLock;

use minijinja::Environment;

use super::hcl::{hcl_comment, hcl_string};
use super::templating;
use super::{FolderFile, RenderError, RenderOptions};
use crate::model::Model;
use context::{Context, Layout, Spell};

pub const TEMPLATE_NAME: &str = "terraform/main.tf.j2";
pub const ROLLOUT_TEMPLATE_NAME: &str = "terraform/rollout.tf.j2";

pub const AWS_PROVIDER_SOURCE: &str = "hashicorp/aws";
/// 6.0 renamed `data.aws_region`'s `name` to `region`, which this output reads.
pub const AWS_PROVIDER_VERSION: &str = ">= 6.0";

/// The configuration in HCL (`main.tf`).
pub fn hcl(model: &Model, options: RenderOptions) -> Result<String, RenderError> {
    hcl_profiles(model, options, 0..model.profiles.len(), true)
}

/// Profiles per piece of `hcl`'s text when a tree renders it in pieces
/// (`Target::pieces`): a fleet of 1,000 profiles in 10 pieces of ~2.6 MB, each
/// rendered into a buffer the last file written gave back (`text::buffers`).
const PROFILES_PER_PIECE: usize = 100;

/// How many pieces `hcl_piece` renders `model`'s configuration in: one (whole)
/// when a profile's name would be numbered because another asked for it first,
/// which a piece claiming its own names could not know.
pub fn hcl_pieces(model: &Model) -> usize {
    let n = model.profiles.len();
    if n <= PROFILES_PER_PIECE || !context::names_are_free(model, Layout::Root) {
        return 1;
    }
    n.div_ceil(PROFILES_PER_PIECE)
}

/// Piece `k` of `of` of `hcl`'s text: the head's blocks and the first run of
/// profiles, then each further run. The pieces joined are `hcl`'s text when
/// `context::names_are_free` (or there is one piece).
pub fn hcl_piece(
    model: &Model,
    options: RenderOptions,
    k: usize,
    of: usize,
) -> Result<String, RenderError> {
    let n = model.profiles.len();
    hcl_profiles(model, options, k * n / of..(k + 1) * n / of, k == 0)
}

/// The HCL of the profiles of `range`, after the head's blocks if `head`.
fn hcl_profiles(
    model: &Model,
    options: RenderOptions,
    range: std::ops::Range<usize>,
    head: bool,
) -> Result<String, RenderError> {
    // A profile at a time: the template's loop over the profiles carries nothing
    // from one to the next, so rendering it once for the head (no profile) and once
    // per profile (with the head's blocks switched off) gives the bytes of one
    // render of the whole context. One render converted the whole context into
    // template values first, several times the size of a fleet's 26 MB output.
    let env = environment();
    let whole = Context::head(model, options, Layout::Root);
    let mut out = String::new();
    if head {
        addresses::check_addresses(model, false)?;
        templating::render_into(&mut out, env, TEMPLATE_NAME, &whole)?;
    }
    let mut chunk = Context {
        provider_block: false,
        uses_account_id: false,
        uses_region: false,
        ..whole
    };
    let count = range.len();
    for (i, profile) in context::profiles_in(model, Layout::Root, Spell::Hcl, range).enumerate() {
        chunk.profiles = vec![profile];
        if i == 0 {
            let mut first = String::new();
            templating::render_into(&mut first, env, TEMPLATE_NAME, &chunk)?;
            let mut text =
                crate::text::buffers::with_capacity(out.len() + estimate(first.len(), count));
            text.push_str(&out);
            text.push_str(&first);
            out = text;
        } else {
            templating::render_into(&mut out, env, TEMPLATE_NAME, &chunk)?;
        }
    }
    Ok(out)
}

/// The configuration in Terraform's JSON syntax (`main.tf.json`).
pub fn json(model: &Model, options: RenderOptions) -> Result<String, RenderError> {
    addresses::check_addresses(model, false)?;
    let capacity = match model.profiles.len() {
        0 | 1 => 0,
        count => {
            let first = super::stacks::part(model, &[0]);
            estimate(Context::new(&first, options).json_text().len(), count)
        }
    };
    // A profile's context at a time, as `hcl` does.
    let head = Context::head(model, options, Layout::Root);
    Ok(head.json_text_in(
        crate::text::buffers::with_capacity(capacity),
        context::profiles(model, Layout::Root, Spell::ModelOnly),
    ))
}

/// Room for `count` profiles of `first` bytes each, and some more: a fleet's file
/// grown by doubling held its last two buffers at once (16 and 32 MB for 28 MB);
/// room reserved but never written is not resident.
fn estimate(first: usize, count: usize) -> usize {
    first
        .saturating_mul(count)
        .saturating_add(first / 8 * count)
        + 4096
}

/// The rollout (`--rollout`) in HCL: StackSets and their instances, applied in the
/// management account or a delegated administrator.
pub fn rollout_hcl(model: &Model, options: RenderOptions) -> Result<String, RenderError> {
    let context = rollout::RolloutCtx::new(model, options)?;
    templating::render(environment(), ROLLOUT_TEMPLATE_NAME, &context)
}

/// The rollout in Terraform's JSON syntax.
pub fn rollout_json(model: &Model, options: RenderOptions) -> Result<String, RenderError> {
    Ok(crate::text::pretty_json(
        &rollout::RolloutCtx::new(model, options)?.to_json(),
    ))
}

/// The configuration as a module folder (`--layout module`): versions.tf,
/// variables.tf, main.tf, outputs.tf, examples/basic/main.tf and README.md. A module
/// never configures providers, so `options` changes nothing here.
pub fn module(model: &Model, _options: RenderOptions) -> Result<Vec<FolderFile>, RenderError> {
    module::folder::render(model)
}

/// This backend's environment, built (and its templates compiled) once per process.
pub(crate) fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: LazyLock<Environment<'static>> =
        LazyLock::new(|| templating::environment(add_filters));
    &ENVIRONMENT
}

/// `hcl_string` quotes and escapes a string (see `backend::hcl::hcl_string`);
/// `hcl_comment` keeps comment text on one line; `pad(n)` left-aligns an argument name
/// so `=` lines up as `terraform fmt` aligns it. Argument values come spelled
/// (`Attr::hcl`). `md_code` writes text as a Markdown code span in a terraform-docs
/// table cell (`module::docs::md_escape`).
fn add_filters(env: &mut Environment<'static>) {
    env.add_filter("hcl_string", |s: &str| hcl_string(s));
    env.add_filter("hcl_comment", |s: &str| hcl_comment(s));
    env.add_filter("pad", |s: &str, width: usize| format!("{s:<width$}"));
    env.add_filter("md_code", |s: &str| {
        module::docs::md_escape(&format!("`{s}`"))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Joined in order, the pieces a tree renders on several threads are the whole
    /// configuration, in every way of cutting every fixture's profiles into runs
    /// (the head's blocks in the first, names claimed by the profiles before each).
    #[test]
    fn hcl_pieces_joined_in_order_are_the_whole_configuration() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut cut = 0;
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let spec = entry.unwrap().path().join("spec.yaml");
            let Ok(text) = std::fs::read_to_string(&spec) else {
                continue;
            };
            let source = crate::source::Source::new(spec.display().to_string(), text);
            let Ok(model) = crate::load(&source) else {
                continue;
            };
            let options = RenderOptions::default();
            let Ok(whole) = hcl(&model, options) else {
                continue;
            };
            assert!(context::names_are_free(&model, Layout::Root));
            for of in 2..=model.profiles.len() {
                let joined: String = (0..of)
                    .map(|k| hcl_piece(&model, options, k, of).unwrap())
                    .collect();
                assert!(joined == whole, "{}: {of} pieces", spec.display());
                cut += 1;
            }
        }
        assert!(cut >= 10, "only {cut} ways of cutting");
    }

    /// The deploy-time values a configuration's head declares data sources for are
    /// looked for once per model (each piece of a fleet's configuration has a head
    /// to decide), and are those its golden declares, for every fixture.
    #[test]
    fn the_data_sources_are_decided_once_per_model() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut seen = [false; 2];
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let dir = entry.unwrap().path();
            let (Ok(text), Ok(golden)) = (
                std::fs::read_to_string(dir.join("spec.yaml")),
                std::fs::read_to_string(dir.join("terraform.tf")),
            ) else {
                continue;
            };
            let model = crate::load(&crate::source::Source::new("spec.yaml", text)).unwrap();
            assert!(model.deploy_time.get().is_none());
            hcl(&model, RenderOptions::default()).unwrap();
            let cached = *model.deploy_time.get().expect("decided while rendering");
            let account_id = golden.contains("data \"aws_caller_identity\" \"current\"");
            let region = golden.contains("data \"aws_region\" \"current\"");
            assert_eq!(
                (cached.account_id, cached.region),
                (account_id, region),
                "{}",
                dir.display()
            );
            seen[0] |= account_id;
            seen[1] |= region;
        }
        assert_eq!(seen, [true, true]);
    }

    /// A piece claims its own names, so a configuration in which a profile's name
    /// would be numbered (asked for by one before it) renders whole.
    #[test]
    fn a_configuration_whose_names_are_numbered_renders_whole() {
        let yaml = "version: 1\nprofiles:\n  - name: web\n";
        let one = crate::load(&crate::source::Source::new("spec.yaml", yaml)).unwrap();
        let twice = Model::new(vec![one.profiles[0].clone(); 2], None);
        assert!(!context::names_are_free(&twice, Layout::Root));
        assert!(context::names_are_free(&one, Layout::Root));
        let many = Model::new(vec![one.profiles[0].clone(); PROFILES_PER_PIECE + 1], None);
        assert_eq!(hcl_pieces(&many), 1);
        let fleet: Vec<_> = (0..=PROFILES_PER_PIECE)
            .map(|i| format!("  - name: web{i}\n"))
            .collect();
        let fleet = format!("version: 1\nprofiles:\n{}", fleet.concat());
        let fleet = crate::load(&crate::source::Source::new("spec.yaml", fleet)).unwrap();
        assert_eq!(hcl_pieces(&fleet), 2);
    }

    /// `hcl` renders the template once per profile: outside its loop over the
    /// profiles, the template must write nothing but the head's blocks.
    #[test]
    fn the_template_writes_nothing_outside_the_profiles_but_the_head() {
        let empty = Model::new(Vec::new(), None);
        let head = Context::head(&empty, RenderOptions::default(), Layout::Root);
        let none = Context {
            provider_block: false,
            uses_account_id: false,
            uses_region: false,
            ..head
        };
        assert_eq!(
            templating::render(environment(), TEMPLATE_NAME, &none).unwrap(),
            ""
        );
    }
}
