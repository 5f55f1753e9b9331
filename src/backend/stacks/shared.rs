//! The split of one spec, shared by all its outputs.

use super::{SplitError, Stack, split_measuring};
use crate::backend::RenderOptions;
use crate::backend::cloudformation::TemplateSyntax;
use crate::model::Model;

/// `split` computed at most once for all the outputs of one spec (they render in
/// parallel): `Output::generate_files_sharing`. For a spec in one stack the split
/// renders the whole template as JSON and as YAML to measure it; those bodies are
/// kept here for the two CloudFormation outputs to take (`take_measured`), so each
/// is built once, not twice (up to 2 MB held until they are taken).
#[derive(Debug, Default)]
pub struct SharedSplit {
    stacks: std::sync::OnceLock<Result<Vec<Stack>, SplitError>>,
    /// The measured bodies, by `TemplateSyntax`, each until it is taken.
    measured: std::sync::Mutex<[Option<String>; 2]>,
}

impl SharedSplit {
    pub fn new() -> SharedSplit {
        SharedSplit::default()
    }

    /// `split` of `model`, computed by the first caller.
    pub fn stacks(
        &self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
    ) -> &Result<Vec<Stack>, SplitError> {
        self.stacks.get_or_init(|| {
            let (stacks, bodies) = split_measuring(model, spec_name, options);
            if let Some(bodies) = bodies {
                *self.measured.lock().unwrap_or_else(|p| p.into_inner()) = bodies.map(Some);
            }
            stacks
        })
    }

    /// The whole template's body in `syntax` as the split measured it, for a spec
    /// in one stack: what `cloudformation::json` or `yaml` gives for the model
    /// whole. Taken once; `None` after that, or when nothing was measured.
    pub fn take_measured(&self, syntax: TemplateSyntax) -> Option<String> {
        self.measured.lock().unwrap_or_else(|p| p.into_inner())[syntax as usize].take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{GeneratedFile, Output, cloudformation};

    fn fixture(name: &str) -> Model {
        let path = format!("{}/fixtures/{name}/spec.yaml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        crate::load(&crate::source::Source::new("spec.yaml", &text)).expect("valid spec")
    }

    fn files(output: &str, model: &Model, split: &SharedSplit) -> Vec<GeneratedFile> {
        let mut files = Vec::new();
        Output::by_golden(output)
            .unwrap()
            .generate_files_into(
                model,
                "spec.yaml",
                RenderOptions::default(),
                split,
                &mut |f| {
                    files.push(f);
                    Ok(())
                },
            )
            .unwrap();
        files
    }

    /// The split of a spec in one stack renders its template as JSON and as YAML to
    /// measure it: each CloudFormation output takes its body from there, once, and
    /// writes what it writes when rendering the template itself.
    #[test]
    fn a_spec_in_one_stack_takes_its_templates_from_the_split() {
        let model = fixture("seed");
        let split = SharedSplit::new();
        let json = files("cloudformation.json", &model, &split);
        assert_eq!(split.take_measured(TemplateSyntax::Json), None);
        let yaml_body = split.take_measured(TemplateSyntax::Yaml).unwrap();
        assert_eq!(yaml_body, cloudformation::yaml(&model, None).unwrap());
        let json_output = Output::by_golden("cloudformation.json").unwrap();
        assert_eq!(
            json[0].text,
            json_output
                .generate(&model, "spec.yaml", RenderOptions::default())
                .unwrap()
        );
        // Taken, not measured again: the YAML output renders its own.
        let yaml = files("cloudformation.yaml", &model, &split);
        let yaml_output = Output::by_golden("cloudformation.yaml").unwrap();
        assert_eq!(
            yaml[0].text,
            yaml_output
                .generate(&model, "spec.yaml", RenderOptions::default())
                .unwrap()
        );
    }

    /// A spec in several stacks renders each stack on its own: nothing is kept.
    #[test]
    fn a_spec_in_several_stacks_keeps_no_template() {
        let model = fixture("multi-stack");
        let split = SharedSplit::new();
        assert!(
            split
                .stacks(&model, "spec.yaml", RenderOptions::default())
                .as_ref()
                .unwrap()
                .len()
                > 1
        );
        assert_eq!(split.take_measured(TemplateSyntax::Json), None);
        assert_eq!(split.take_measured(TemplateSyntax::Yaml), None);
    }
}
