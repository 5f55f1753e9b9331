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
pub mod templating;
pub mod terraform;

use crate::model::Model;
use crate::refdata::limits;

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
    /// The file is a CloudFormation template body, which CloudFormation takes up to
    /// 1 MB from S3 and up to 51,200 bytes inline (aws-facts.md 7).
    pub template_body: bool,
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
        layout: None,
        golden: "cloudformation.json",
        out_dir: "cloudformation/{stem}.template.json",
        comment: CommentSyntax::None,
        template_body: true,
        render: Render::File(|m, _| cloudformation::json(m)),
    },
    OutputDef {
        target: "cloudformation",
        format: Some("yaml"),
        language: None,
        app: false,
        layout: None,
        golden: "cloudformation.yaml",
        out_dir: "cloudformation/{stem}.template.yaml",
        comment: CommentSyntax::Hash,
        template_body: true,
        render: Render::File(|m, _| cloudformation::yaml(m)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: false,
        layout: None,
        golden: "cdk.ts",
        out_dir: "cdk/{ts_module}.ts",
        comment: CommentSyntax::Slashes,
        template_body: false,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::TypeScript, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: false,
        layout: None,
        golden: "cdk.py",
        out_dir: "cdk/{py_module}.py",
        comment: CommentSyntax::Hash,
        template_body: false,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::Python, false)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("typescript"),
        app: true,
        layout: None,
        golden: "cdk-app.ts",
        out_dir: "cdk/{ts_module}-app.ts",
        comment: CommentSyntax::Slashes,
        template_body: false,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::TypeScript, true)),
    },
    OutputDef {
        target: "cdk",
        format: None,
        language: Some("python"),
        app: true,
        layout: None,
        golden: "cdk-app.py",
        out_dir: "cdk/{stem}-app.py",
        comment: CommentSyntax::Hash,
        template_body: false,
        render: Render::File(|m, _| cdk::render(m, cdk::Language::Python, true)),
    },
    // Terraform loads every .tf and .tf.json of a folder: the two syntaxes of the
    // same resources cannot share one.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        layout: None,
        golden: "terraform.tf",
        out_dir: "terraform/{stem}/main.tf",
        comment: CommentSyntax::Hash,
        template_body: false,
        render: Render::File(terraform::hcl),
    },
    OutputDef {
        target: "terraform",
        format: Some("json"),
        language: None,
        app: false,
        layout: None,
        golden: "terraform.tf.json",
        out_dir: "terraform-json/{stem}/main.tf.json",
        comment: CommentSyntax::JsonCommentKey,
        template_body: false,
        render: Render::File(terraform::json),
    },
    // The same configuration as a module users call: a folder per spec.
    OutputDef {
        target: "terraform",
        format: Some("hcl"),
        language: None,
        app: false,
        layout: Some("module"),
        golden: "terraform-module",
        out_dir: "terraform-module/{stem}",
        comment: CommentSyntax::Hash,
        template_body: false,
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
        if let Some(l) = s.layout
            && !layouts.contains(&l)
        {
            return refuse(format!("`--layout {l}`"));
        }
        Output::in_layout(s.layout)
            .find(|o| {
                o.0.target == s.target
                    && o.0.app == s.app
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
        if let Some(l) = d.layout {
            flags.push(format!("--layout {l}"));
        }
        flags
    }

    /// The `--layout` value that selects this output, if it is not of the default layout.
    pub fn layout(self) -> Option<&'static str> {
        self.0.layout
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
        let text = header::apply(self.0.comment, &header, self.render(model, options)?)
            .map_err(RenderError::Internal)?;
        if self.0.template_body {
            check_template_body(self.0.target, &text)?;
        }
        Ok(text)
    }

    /// What the user should know before deploying this file as it was generated:
    /// a CloudFormation template over 51,200 bytes needs an S3 bucket to deploy.
    pub fn notes(self, text: &str) -> Vec<String> {
        let size = text.len();
        if self.0.template_body && size > limits::CFN_TEMPLATE_BODY_INLINE_MAX {
            vec![format!(
                "the CloudFormation template is {} bytes, over the {} bytes CloudFormation takes inline: deploy it with `aws cloudformation deploy --s3-bucket BUCKET ...` (the CLI uploads it there first)",
                thousands(size),
                thousands(limits::CFN_TEMPLATE_BODY_INLINE_MAX)
            )]
        } else {
            Vec::new()
        }
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

/// CloudFormation reads a template body of 1 MB at most, from S3 (aws-facts.md 7).
fn check_template_body(target: &'static str, text: &str) -> Result<(), RenderError> {
    let size = text.len();
    if size <= limits::CFN_TEMPLATE_BODY_MAX {
        return Ok(());
    }
    Err(RenderError::Refused {
        target,
        message: format!(
            "the CloudFormation template would be {} bytes, but CloudFormation accepts a template of 1 MB ({} bytes) at most (CloudFormation quotas); split the profiles across several spec files, each of which builds a stack of its own, or use `--target terraform`, which has no such quota",
            thousands(size),
            thousands(limits::CFN_TEMPLATE_BODY_MAX)
        ),
    })
}

/// `236209` -> `236,209`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

mod options;
pub use options::RenderOptions;

#[cfg(test)]
mod tests;
