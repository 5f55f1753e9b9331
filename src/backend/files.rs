//! How an output's files are handed over: one at a time as they render, and which
//! they will be before any renders.

use super::options::StackPart;
use super::outputs::Pieces;
use super::target::every_capability;
use super::{GeneratedFile, Output, Render, RenderError, RenderOptions, header, stacks};

/// How two rows rendered together are rendered (`outputs::Together::render`).
pub type TogetherRender = fn(&Model, RenderOptions) -> Result<[String; 2], RenderError>;
use crate::model::Model;

impl Output {
    /// `generate_files_sharing`, each file handed to `sink` as soon as it is rendered
    /// (one stack at a time), so that a caller that writes it and drops it holds one
    /// file of the output, not all. An error of `sink` stops the rendering.
    pub fn generate_files_into(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        split: &stacks::SharedSplit,
        sink: &mut dyn FnMut(GeneratedFile) -> Result<(), RenderError>,
    ) -> Result<(), RenderError> {
        let one = |inside: String, text: String| GeneratedFile {
            inside,
            stack: None,
            text,
        };
        if let Some(parts) = self.stack_parts(model, spec_name, options, split)? {
            for part in parts {
                sink(self.generate_stack(model, spec_name, options, part)?)?;
            }
            return Ok(());
        }
        let Render::Folder(render, _) = self.def.render else {
            let measured = match self.def.render {
                Render::Template(syntax) if options.stack.is_none() => split.take_measured(syntax),
                _ => None,
            };
            // As `generate`: the body (measured, or rendered), then its header.
            let body = match measured {
                Some(body) => {
                    self.check(model)?;
                    body
                }
                None => self.render(model, options)?,
            };
            return sink(one(String::new(), self.finish(spec_name, options, body)?));
        };
        let flags = self.header_flags(options);
        let header = header::Header {
            spec_name,
            flags: &flags,
            notes: &[],
        };
        self.check(model)?;
        for f in render(model, options)? {
            let text = header::apply(f.comment, &header, f.text).map_err(RenderError::Internal)?;
            sink(one(f.path.to_string(), text))?;
        }
        Ok(())
    }

    /// The file of one stack (`stack_parts`) of this output: what
    /// `generate_files_into` gives for it, rendered on its own so that the stacks of
    /// one output can render on several threads.
    pub fn generate_stack(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        part: &stacks::Stack,
    ) -> Result<GeneratedFile, RenderError> {
        let options = RenderOptions {
            stack: Some(StackPart {
                n: part.n,
                of: model.stacks,
            }),
            ..options
        };
        let text = self.generate(&stacks::part(model, &part.profiles), spec_name, options)?;
        Ok(GeneratedFile {
            inside: String::new(),
            stack: Some(part.n),
            text,
        })
    }

    /// The row rendered together with this one (`Target::together`: this row first),
    /// and how.
    pub fn together(self) -> Option<(Output, TogetherRender)> {
        let t = self
            .target
            .together
            .iter()
            .find(|t| t.rows[0] == self.def.golden)?;
        let def = self.target.outputs.iter().find(|d| d.golden == t.rows[1])?;
        Some((
            Output {
                target: self.target,
                def,
            },
            t.render,
        ))
    }

    /// The files of this output and of `second` (`together`) for one stack (`None`:
    /// the whole spec, one file each), rendered together: each exactly what
    /// `generate_stack` (or `generate_files_into` of a spec in one stack) gives.
    pub fn generate_together(
        self,
        second: Output,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        part: Option<&stacks::Stack>,
    ) -> Result<[GeneratedFile; 2], RenderError> {
        let Some((_, render)) = self.together().filter(|(o, _)| *o == second) else {
            return Err(RenderError::Internal(format!(
                "{self:?} is not rendered together with {second:?}"
            )));
        };
        let part_model;
        let (model, options) = match part {
            Some(part) => {
                part_model = stacks::part(model, &part.profiles);
                let stack = Some(StackPart {
                    n: part.n,
                    of: model.stacks,
                });
                (&part_model, RenderOptions { stack, ..options })
            }
            None => (model, options),
        };
        self.check(model)?;
        second.check(model)?;
        let [first_text, second_text] = render(model, options)?;
        let file = |output: Output, text| -> Result<GeneratedFile, RenderError> {
            Ok(GeneratedFile {
                inside: String::new(),
                stack: part.map(|p| p.n),
                text: output.finish(spec_name, options, text)?,
            })
        };
        Ok([file(self, first_text)?, file(second, second_text)?])
    }

    /// How many pieces this output's one file renders in (`Target::pieces`), when
    /// more than one; `None` for a row that does not, and for a model its target
    /// refuses (rendered whole, the refusal is reported as it always was).
    pub fn pieces(self, model: &Model) -> Option<usize> {
        let pieces = self.pieces_def()?;
        // The header goes before the first piece: a row whose header is a key of
        // its JSON document, or whose whole text is measured, renders whole.
        let whole_only = self.def.stacks.is_some()
            || self.def.template_body
            || self.def.comment == header::CommentSyntax::JsonCommentKey
            || !matches!(self.def.render, Render::File(_) | Render::Template(_));
        if whole_only || self.check(model).is_err() {
            return None;
        }
        Some((pieces.count)(model)).filter(|&n| n > 1)
    }

    /// Piece `k` of `of` (`pieces`) of this output's file: joined in order, the
    /// pieces are the text `generate` gives (the first carries the header).
    pub fn generate_piece(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        k: usize,
        of: usize,
    ) -> Result<String, RenderError> {
        let pieces = self
            .pieces_def()
            .ok_or_else(|| RenderError::Internal(format!("{self:?} does not render in pieces")))?;
        if k > 0 {
            return (pieces.render)(model, options, k, of);
        }
        self.check(model)?;
        let first = (pieces.render)(model, options, k, of)?;
        self.finish(spec_name, options, first)
    }

    fn pieces_def(self) -> Option<&'static Pieces> {
        (self.target.pieces.iter()).find(|p| p.row == self.def.golden)
    }

    /// The files `generate_files_into` gives, in its order, without their text and
    /// without rendering them: where a tree's files go is known (and checked) before
    /// the first is rendered. Refuses as `generate_files_into` refuses before it renders.
    pub fn planned_files(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        split: &stacks::SharedSplit,
    ) -> Result<Vec<GeneratedFile>, RenderError> {
        let file = |inside: &str, stack| GeneratedFile {
            inside: inside.to_string(),
            stack,
            text: String::new(),
        };
        Ok(
            match (
                self.stack_parts(model, spec_name, options, split)?,
                self.def.render,
            ) {
                (Some(parts), _) => parts.iter().map(|p| file("", Some(p.n))).collect(),
                (None, Render::Folder(_, paths)) => {
                    paths().into_iter().map(|p| file(p, None)).collect()
                }
                (None, Render::File(_) | Render::Template(_)) => vec![file("", None)],
            },
        )
    }

    /// The profiles of each stack this output is written as, when the spec declares
    /// more than one (`stacks`; the stacks that hold no profile are left out): the
    /// target's refusals of the whole spec (but the quotas) first, at the whole spec's
    /// profile indices, then the split (`stacks::split`, measured once per `split`).
    pub fn stack_parts<'s>(
        self,
        model: &Model,
        spec_name: &str,
        options: RenderOptions,
        split: &'s stacks::SharedSplit,
    ) -> Result<Option<&'s [stacks::Stack]>, RenderError> {
        if self.def.stacks.is_none() {
            return Ok(None);
        }
        let target = &self.target.capabilities;
        target.check_profiles(model, &every_capability())?;
        let parts = split
            .stacks(model, spec_name, options)
            .as_ref()
            .map_err(|t| stacks::refusal(*t, target))?;
        Ok(Some(parts.as_slice()).filter(|_| model.stacks > 1))
    }
}
