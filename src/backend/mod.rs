//! Backends turn the model into files as text. None of them writes to disk.
//!
//! `OUTPUTS` is the one table of every kind of output file: the command line, the
//! generated-file header, the `--out-dir` tree and the golden files all read it.
//! Adding an output is one row here and the render function it names.

pub mod capability;
pub mod cdk;
mod cfn_yaml;
pub mod cloudformation;
pub mod describe;
pub mod document;
mod error;
pub mod hcl;
pub mod header;
pub mod interpreted;
pub mod naming;
pub mod rollout;
pub mod templating;
pub mod terraform;

use crate::model::Model;

pub use crate::text::pretty_json;
pub use error::RenderError;
pub use header::CommentSyntax;

/// One kind of output file: a row of `OUTPUTS`.
#[derive(Debug)]
pub struct OutputDef {
    /// The target it belongs to, as `--target` names it.
    pub target: &'static str,
    /// The `--format` value that selects it, for targets that have formats.
    pub format: Option<&'static str>,
    /// The `--language` value that selects it, for targets that have languages.
    pub language: Option<&'static str>,
    /// Selected by `--app`: a runnable app rather than a module.
    pub app: bool,
    /// Selected by `--rollout`: the spec's `rollout` as service-managed StackSets
    /// (written only for a spec that has one; see `Output::applies`).
    pub rollout: bool,
    /// The `--layout` value that selects it; `None` for the default layout, which is
    /// what `build --out-dir` writes when no `--layout` is given.
    pub layout: Option<&'static str>,
    /// The file name of its golden file beside a fixture's spec (a folder for a
    /// `Render::Folder` output).
    pub golden: &'static str,
    /// Where `build --out-dir` writes it (a folder for a `Render::Folder` output):
    /// `{stem}` stands for the spec's file stem, `{py_module}` and `{ts_module}` for
    /// the module names derived from it (`python_module`, `typescript_module`). This
    /// is the documented tree of docs/workflow.md: change a path only with a note
    /// there, since users commit it.
    pub out_dir: &'static str,
    /// How its language writes the generated-file header (for a folder: each file
    /// says its own).
    pub comment: CommentSyntax,
    pub render: Render,
}

/// How an output is rendered: one file, or a folder of files.
#[derive(Debug, Clone, Copy)]
pub enum Render {
    File(fn(&Model, RenderOptions) -> Result<String, RenderError>),
    /// The files of a folder, each with its `/`-separated path inside the folder.
    Folder(fn(&Model, RenderOptions) -> Result<Vec<FolderFile>, RenderError>),
}

/// One file of a `Render::Folder` output, before its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFile {
    /// `/`-separated path inside the folder (`main.tf`, `examples/basic/main.tf`).
    pub path: &'static str,
    pub comment: CommentSyntax,
    pub text: String,
}

/// Every output. Within a target, the first row is what the target gives when no
/// `--format` or `--language` is given, and rows are in the order golden files and
/// `--out-dir` list them.
pub static OUTPUTS: &[OutputDef] = &[
    OutputDef {
        target: "cloudformation",
        format: Some("json"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "cloudformation.json",
        out_dir: "cloudformation/{stem}.template.json",
        comment: CommentSyntax::None,
        render: Render::File(|m, _| cloudformation::json(m)),
    },
    OutputDef {
        target: "cloudformation",
        format: Some("yaml"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "cloudformation.yaml",
        out_dir: "cloudformation/{stem}.template.yaml",
        comment: CommentSyntax::Hash,
        render: Render::File(|m, _| cloudformation::yaml(m)),
    },
    // The rollout: StackSets that deploy the template above to an organization.
    OutputDef {
        target: "cloudformation",
        format: Some("json"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "cloudformation-rollout.json",
        out_dir: "cloudformation/{stem}.rollout.template.json",
        comment: CommentSyntax::None,
        render: Render::File(|m, _| cloudformation::rollout_json(m)),
    },
    OutputDef {
        target: "cloudformation",
        format: Some("yaml"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "cloudformation-rollout.yaml",
        out_dir: "cloudformation/{stem}.rollout.template.yaml",
        comment: CommentSyntax::Hash,
        render: Render::File(|m, _| cloudformation::rollout_yaml(m)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: false,
        rollout: false,
        layout: None,
        golden: "cdk.ts",
        out_dir: "cdk/{ts_module}.ts",
        comment: CommentSyntax::Slashes,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::TypeScript, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: false,
        rollout: false,
        layout: None,
        golden: "cdk.py",
        out_dir: "cdk/{py_module}.py",
        comment: CommentSyntax::Hash,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::Python, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: true,
        rollout: false,
        layout: None,
        golden: "cdk-app.ts",
        out_dir: "cdk/{ts_module}-app.ts",
        comment: CommentSyntax::Slashes,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::TypeScript, true)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: true,
        rollout: false,
        layout: None,
        golden: "cdk-app.py",
        out_dir: "cdk/{stem}-app.py",
        comment: CommentSyntax::Hash,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::Python, true)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: false,
        rollout: true,
        layout: None,
        golden: "cdk-rollout.ts",
        out_dir: "cdk/{ts_module}-rollout.ts",
        comment: CommentSyntax::Slashes,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::TypeScript, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: false,
        rollout: true,
        layout: None,
        golden: "cdk-rollout.py",
        out_dir: "cdk/{py_module}_rollout.py",
        comment: CommentSyntax::Hash,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::Python, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: true,
        rollout: true,
        layout: None,
        golden: "cdk-rollout-app.ts",
        out_dir: "cdk/{ts_module}-rollout-app.ts",
        comment: CommentSyntax::Slashes,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::TypeScript, true)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: true,
        rollout: true,
        layout: None,
        golden: "cdk-rollout-app.py",
        out_dir: "cdk/{stem}-rollout-app.py",
        comment: CommentSyntax::Hash,
        render: Render::File(|m, _| cdk::render_rollout(m, cdk::Language::Python, true)),
    },
    // Terraform loads every .tf and .tf.json of a folder: the two syntaxes of the
    // same resources cannot share one.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "terraform.tf",
        out_dir: "terraform/{stem}/main.tf",
        comment: CommentSyntax::Hash,
        render: Render::File(terraform::hcl),
    },
    OutputDef {
        target: "terraform",
        format: Some("json"),
        language: None,
        app: false,
        rollout: false,
        layout: None,
        golden: "terraform.tf.json",
        out_dir: "terraform-json/{stem}/main.tf.json",
        comment: CommentSyntax::JsonCommentKey,
        render: Render::File(terraform::json),
    },
    // The rollout is applied in the management account (or a delegated
    // administrator): a folder of its own, apart from the per-account configuration.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "terraform-rollout.tf",
        out_dir: "terraform/{stem}-rollout/main.tf",
        comment: CommentSyntax::Hash,
        render: Render::File(terraform::rollout_hcl),
    },
    OutputDef {
        target: "terraform",
        format: Some("json"),
        language: None,
        app: false,
        rollout: true,
        layout: None,
        golden: "terraform-rollout.tf.json",
        out_dir: "terraform-json/{stem}-rollout/main.tf.json",
        comment: CommentSyntax::JsonCommentKey,
        render: Render::File(terraform::rollout_json),
    },
    // The same configuration as a module users call: a folder per spec.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        rollout: false,
        layout: Some("module"),
        golden: "terraform-module",
        out_dir: "terraform-module/{stem}",
        comment: CommentSyntax::Hash,
        render: Render::Folder(terraform::module),
    },
];

/// A handle on one row of `OUTPUTS`; cheap to copy and compare.
#[derive(Clone, Copy)]
pub struct Output(&'static OutputDef);

impl PartialEq for Output {
    fn eq(&self, other: &Output) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Output {}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.golden)
    }
}

/// What a user asked for with `--target`, `--format`, `--language`, `--app` and
/// `--layout`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    pub target: &'a str,
    pub format: Option<&'a str>,
    pub language: Option<&'a str>,
    pub app: bool,
    pub rollout: bool,
    pub layout: Option<&'a str>,
}

impl Output {
    /// Every output of the default layout (what `build --out-dir` writes when no
    /// `--layout` is given), in table order.
    pub fn all() -> impl Iterator<Item = Output> {
        Output::in_layout(None)
    }

    /// Every output of one layout (`None`: the default), in table order.
    pub fn in_layout(layout: Option<&str>) -> impl Iterator<Item = Output> + '_ {
        OUTPUTS
            .iter()
            .filter(move |d| d.layout == layout)
            .map(Output)
    }

    /// Every output of every layout, in table order: what the goldens hold.
    pub fn every() -> impl Iterator<Item = Output> {
        OUTPUTS.iter().map(Output)
    }

    /// The output whose golden file is `golden` (`cloudformation.yaml`, ...).
    pub fn by_golden(golden: &str) -> Option<Output> {
        Output::every().find(|o| o.0.golden == golden)
    }

    /// Every target name, in table order.
    pub fn targets() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = OUTPUTS.iter().map(|d| d.target).collect();
        names.dedup();
        names
    }

    /// The values one column of the table takes for `target`, in table order.
    fn values(target: &str, column: fn(&OutputDef) -> Option<&'static str>) -> Vec<&'static str> {
        let mut values: Vec<&'static str> = Vec::new();
        for d in OUTPUTS.iter().filter(|d| d.target == target) {
            if let Some(v) = column(d)
                && !values.contains(&v)
            {
                values.push(v);
            }
        }
        values
    }

    /// Every `--format` value of any target, for the command line's value list.
    pub fn all_formats() -> Vec<&'static str> {
        Output::column_values(|d| d.format)
    }

    /// Every `--language` value of any target.
    pub fn all_languages() -> Vec<&'static str> {
        Output::column_values(|d| d.language)
    }

    /// Every `--layout` value of any target.
    pub fn all_layouts() -> Vec<&'static str> {
        Output::column_values(|d| d.layout)
    }

    fn column_values(column: fn(&OutputDef) -> Option<&'static str>) -> Vec<&'static str> {
        let mut values: Vec<&'static str> = Vec::new();
        for v in OUTPUTS.iter().filter_map(column) {
            if !values.contains(&v) {
                values.push(v);
            }
        }
        values
    }

    /// The output a selection names, or why the combination names none.
    pub fn select(s: Selection) -> Result<Output, String> {
        if !Output::targets().contains(&s.target) {
            return Err(format!(
                "unknown target `{}`; targets: {}",
                s.target,
                Output::targets().join(", ")
            ));
        }
        let formats = Output::values(s.target, |d| d.format);
        let languages = Output::values(s.target, |d| d.language);
        let layouts = Output::values(s.target, |d| d.layout);
        let has_app = OUTPUTS.iter().any(|d| d.target == s.target && d.app);
        let has_rollout = OUTPUTS.iter().any(|d| d.target == s.target && d.rollout);
        let takes = || {
            let mut parts = Vec::new();
            if !formats.is_empty() {
                parts.push(format!("`--format {}`", formats.join("|")));
            }
            if !languages.is_empty() {
                parts.push(format!("`--language {}`", languages.join("|")));
            }
            if has_app {
                parts.push("`--app`".to_string());
            }
            if has_rollout {
                parts.push("`--rollout`".to_string());
            }
            if !layouts.is_empty() {
                parts.push(format!("`--layout {}`", layouts.join("|")));
            }
            format!("`--target {}` takes {}", s.target, parts.join(" and "))
        };
        let refuse = |flag: String| Err(format!("{flag} does not apply here: {}", takes()));
        if let Some(f) = s.format
            && !formats.contains(&f)
        {
            return refuse(format!("`--format {f}`"));
        }
        if let Some(l) = s.language
            && !languages.contains(&l)
        {
            return refuse(format!("`--language {l}`"));
        }
        if s.app && !has_app {
            return refuse("`--app`".to_string());
        }
        if s.rollout && !has_rollout {
            return refuse("`--rollout`".to_string());
        }
        if let Some(l) = s.layout
            && !layouts.contains(&l)
        {
            return refuse(format!("`--layout {l}`"));
        }
        Output::in_layout(s.layout)
            .find(|o| {
                o.0.target == s.target
                    && o.0.app == s.app
                    && o.0.rollout == s.rollout
                    && s.format.is_none_or(|f| o.0.format == Some(f))
                    && s.language.is_none_or(|l| o.0.language == Some(l))
            })
            .ok_or_else(|| format!("no output matches those flags: {}", takes()))
    }

    /// The fewest `build` flags that select this output: `--target`, then `--format`
    /// and `--language` only where they differ from the target's default, and `--app`.
    pub fn flags(self) -> Vec<String> {
        let d = self.0;
        let mut flags = vec![format!("--target {}", d.target)];
        let default = |column: fn(&OutputDef) -> Option<&'static str>| {
            Output::values(d.target, column).first().copied()
        };
        if let Some(f) = d.format
            && default(|d| d.format) != Some(f)
        {
            flags.push(format!("--format {f}"));
        }
        if let Some(l) = d.language
            && default(|d| d.language) != Some(l)
        {
            flags.push(format!("--language {l}"));
        }
        if d.app {
            flags.push("--app".to_string());
        }
        if d.rollout {
            flags.push("--rollout".to_string());
        }
        if let Some(l) = d.layout {
            flags.push(format!("--layout {l}"));
        }
        flags
    }

    /// The `--layout` value that selects this output, if it is not of the default layout.
    pub fn layout(self) -> Option<&'static str> {
        self.0.layout
    }

    /// Whether this output is written for `model`: a rollout output only for a spec
    /// that has `rollout`; every other output always.
    pub fn applies(self, model: &Model) -> bool {
        !self.0.rollout || model.rollout.is_some()
    }

    /// Whether this output is the rollout (`--rollout`).
    pub fn is_rollout(self) -> bool {
        self.0.rollout
    }

    /// Whether this output is a folder of files (`Render::Folder`) rather than one file.
    pub fn is_folder(self) -> bool {
        matches!(self.0.render, Render::Folder(_))
    }

    /// The file name of this output's golden file beside a fixture's spec.
    pub fn golden_name(self) -> &'static str {
        self.0.golden
    }

    /// The target this output belongs to, as the command line names it.
    pub fn target(self) -> &'static str {
        self.0.target
    }

    /// Where `build --out-dir` writes this output for the spec whose file stem is
    /// `stem`, relative to the out dir, `/`-separated.
    pub fn out_dir_path(self, stem: &str) -> String {
        self.0
            .out_dir
            .replace("{stem}", stem)
            .replace("{py_module}", &python_module(stem))
            .replace("{ts_module}", &typescript_module(stem))
    }

    /// How this output's language writes the generated-file header.
    pub fn comment_syntax(self) -> CommentSyntax {
        self.0.comment
    }

    /// The file as every command writes it: the generated-file header (naming
    /// the file name of `spec_name`, the spec path as the user gave it, and the
    /// command that regenerates the file) and the rendered model. A folder output is
    /// an internal error here: its files come from `generate_files`.
    pub fn generate(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
    ) -> Result<String, RenderError> {
        let flags = self.header_flags(options);
        let header = header::Header {
            spec_name,
            flags: &flags,
        };
        header::apply(self.0.comment, &header, self.render(model, options)?)
            .map_err(RenderError::Internal)
    }

    /// Every file of this output as every command writes it, each with its header:
    /// (`/`-separated path inside the output's folder, text); the path is empty for
    /// a one-file output.
    pub fn generate_files(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
    ) -> Result<Vec<(String, String)>, RenderError> {
        let Render::Folder(render) = self.0.render else {
            return Ok(vec![(
                String::new(),
                self.generate(model, spec_name, options)?,
            )]);
        };
        let flags = self.header_flags(options);
        let header = header::Header {
            spec_name,
            flags: &flags,
        };
        render(model, options)?
            .into_iter()
            .map(|f| {
                header::apply(f.comment, &header, f.text)
                    .map(|text| (f.path.to_string(), text))
                    .map_err(RenderError::Internal)
            })
            .collect()
    }

    /// The `build` flags the header names: a folder is written only with `--out-dir`.
    fn header_flags(self, options: RenderOptions) -> Vec<String> {
        let mut flags = self.flags();
        flags.extend(options.flags().iter().map(|f| f.to_string()));
        if self.is_folder() {
            flags.push("--out-dir DIR".to_string());
        }
        flags
    }

    /// Renders the model into one file. `Err(Refused)` says why this target cannot
    /// express a valid spec. A folder output renders through `generate_files`.
    pub fn render(self, model: &Model, options: RenderOptions) -> Result<String, RenderError> {
        match self.0.render {
            Render::File(render) => render(model, options),
            Render::Folder(_) => Err(RenderError::Internal(format!(
                "{} is a folder of files; render it with generate_files",
                self.0.golden
            ))),
        }
    }
}

/// The Python module name for a spec's file stem: Python imports a module only by
/// an identifier that is not a keyword. Every character other than an ASCII letter,
/// digit or `_` becomes `_` (`ssm-profile` -> `ssm_profile`), a leading digit gets
/// `spec_` before it, and a keyword gets `_` after it (`class` -> `class_`). A stem
/// that is already such an identifier is kept.
pub fn python_module(stem: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "spec_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The TypeScript module name (file name without `.ts`) for a spec's file stem:
/// ASCII letters, digits, `_`, `-` and `.` are kept, anything else becomes `_`, so
/// `import ... from './NAME'` needs no quoting or URL escaping on any system; and a
/// name TypeScript would take for a declaration file (`x.d` -> `x.d.ts`) has its
/// dots replaced by `_`.
pub fn typescript_module(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".d") || lower.contains(".d.") {
        name.replace('.', "_")
    } else {
        name
    }
}

/// Choices that change how an output is written, never what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Terraform: emit `terraform { required_providers { aws = ... } }`; off when the
    /// output is used as a module whose root pins the provider.
    pub terraform_provider_block: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            terraform_provider_block: true,
        }
    }
}

impl RenderOptions {
    /// The `build` flags that give these options, for the regenerate command.
    pub fn flags(self) -> Vec<&'static str> {
        let mut flags = Vec::new();
        if !self.terraform_provider_block {
            flags.push("--no-provider-block");
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(target: &str, format: Option<&str>, language: Option<&str>, app: bool) -> String {
        match Output::select(Selection {
            target,
            format,
            language,
            app,
            rollout: false,
            layout: None,
        }) {
            Ok(o) => o.golden_name().to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn flags_pick_the_output_and_defaults_come_first() {
        assert_eq!(
            select("cloudformation", None, None, false),
            "cloudformation.json"
        );
        assert_eq!(
            select("cloudformation", Some("yaml"), None, false),
            "cloudformation.yaml"
        );
        assert_eq!(select("terraform", None, None, false), "terraform.tf");
        assert_eq!(
            select("terraform", Some("json"), None, false),
            "terraform.tf.json"
        );
        assert_eq!(select("cdk", None, None, false), "cdk.ts");
        assert_eq!(select("cdk", None, None, true), "cdk-app.ts");
        assert_eq!(select("cdk", None, Some("python"), false), "cdk.py");
        assert_eq!(select("cdk", None, Some("python"), true), "cdk-app.py");
    }

    #[test]
    fn flags_of_another_target_say_what_the_target_takes() {
        assert_eq!(
            select("terraform", Some("yaml"), None, false),
            "error: `--format yaml` does not apply here: `--target terraform` takes `--format hcl|json` and `--rollout` and `--layout module`"
        );
        assert_eq!(
            select("cdk", Some("json"), None, false),
            "error: `--format json` does not apply here: `--target cdk` takes `--language typescript|python` and `--app` and `--rollout`"
        );
        assert_eq!(
            select("cloudformation", None, None, true),
            "error: `--app` does not apply here: `--target cloudformation` takes `--format json|yaml` and `--rollout`"
        );
    }

    #[test]
    fn the_module_layout_is_a_terraform_folder() {
        let pick = |target, layout| {
            Output::select(Selection {
                target,
                layout,
                ..Selection::default()
            })
        };
        let module = pick("terraform", Some("module")).unwrap();
        assert!(module.is_folder());
        assert_eq!(module.golden_name(), "terraform-module");
        assert_eq!(
            module.flags(),
            ["--target terraform", "--layout module"].map(String::from)
        );
        assert!(!Output::all().any(|o| o == module));
        assert_eq!(
            pick("cdk", Some("module")).unwrap_err(),
            "`--layout module` does not apply here: `--target cdk` takes `--language typescript|python` and `--app` and `--rollout`"
        );
        assert_eq!(
            pick("terraform", Some("json")).unwrap_err(),
            "`--layout json` does not apply here: `--target terraform` takes `--format hcl|json` and `--rollout` and `--layout module`"
        );
    }

    #[test]
    fn every_output_is_selected_by_its_own_flags() {
        for o in Output::every() {
            let flags = o.flags();
            let value = |name: &str| {
                flags
                    .iter()
                    .find_map(|f| f.strip_prefix(name).map(|v| v.trim_start()))
            };
            let found = Output::select(Selection {
                target: value("--target").expect("a target"),
                format: value("--format"),
                language: value("--language"),
                app: flags.iter().any(|f| f == "--app"),
                rollout: flags.iter().any(|f| f == "--rollout"),
                layout: value("--layout"),
            });
            assert_eq!(found, Ok(o), "{flags:?}");
        }
    }

    #[test]
    fn cdk_module_names_are_importable_whatever_the_stem() {
        for (stem, py, ts) in [
            ("prod", "prod", "prod"),
            ("prod_eu", "prod_eu", "prod_eu"),
            ("ssm-profile", "ssm_profile", "ssm-profile"),
            ("prod.ssm", "prod_ssm", "prod.ssm"),
            ("2024-prod", "spec_2024_prod", "2024-prod"),
            ("class", "class_", "class"),
            ("my spec#1", "my_spec_1", "my_spec_1"),
            ("Grüße", "Gr__e", "Gr__e"),
            ("types.d", "types_d", "types_d"),
            ("x.D.css", "x_D_css", "x_D_css"),
        ] {
            assert_eq!(python_module(stem), py, "{stem}");
            assert_eq!(typescript_module(stem), ts, "{stem}");
        }
        let is_identifier = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        for stem in ["-", "_", "9", "a b", "ü", "if", "None", "x.y.z", "..a"] {
            assert!(is_identifier(&python_module(stem)), "{stem}");
        }
    }

    #[test]
    fn out_dir_paths_and_goldens_are_distinct() {
        let all: Vec<Output> = Output::every().collect();
        for (i, o) in all.iter().enumerate() {
            assert!(o.0.out_dir.contains("{"), "{o:?}");
            for p in &all[..i] {
                assert_ne!(o.out_dir_path("x"), p.out_dir_path("x"));
                assert_ne!(o.golden_name(), p.golden_name());
            }
        }
    }
}
