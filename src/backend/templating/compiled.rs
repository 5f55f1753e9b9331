//! The templates of `templates/` as `build.rs` compiled them: per template, a
//! function that adds minijinja's instructions one by one, each with its line and
//! span (for error messages), and `TEMPLATES`, every template by name.

use minijinja::Value;
use minijinja::machinery::{Instruction as I, Instructions, Span};

/// A function that builds one template's instructions.
type Build = fn() -> Instructions<'static>;

/// The span of an instruction, as the build's compiler recorded it.
fn span(
    start_line: u16,
    start_col: u16,
    start_offset: u32,
    end_line: u16,
    end_col: u16,
    end_offset: u32,
) -> Span {
    Span {
        start_line,
        start_col,
        start_offset,
        end_line,
        end_col,
        end_offset,
    }
}

include!(concat!(env!("OUT_DIR"), "/templates.rs"));
