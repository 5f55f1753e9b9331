//! Line layout of the generated CDK code, so that it is what ruff format (Black's
//! style, 88 columns) and prettier (`--single-quote --print-width 120`) would write,
//! and a team that runs either over its repository sees no change. The templates fix
//! every layout that does not depend on spec values; these functions decide the rest:
//! whether a bracketed list of already-spelled arguments fits on its line.
//!
//! Arguments are code (literals from `py_string` / `ts_string`, names); nothing here
//! escapes or reads them, it only measures and places them. They lay out every list
//! item of a large spec, so they measure the pieces and write each line once into one
//! buffer instead of joining, formatting and padding into a new string per line.

use crate::text::push_spaces;

/// ruff format's default line length (Black's).
pub const PYTHON_WIDTH: usize = 88;
/// The `--print-width` the TypeScript is formatted for: at prettier's default of 80,
/// most construct calls would need prettier's assignment and member-chain layouts.
pub const TYPESCRIPT_WIDTH: usize = 120;

/// Columns a piece of code takes, as both formatters count them: East Asian wide and
/// fullwidth characters and emoji take two, combining accents none, everything else
/// one (control characters never reach code unescaped). The wide ranges are the
/// usual wcwidth approximation; conformance checks the result with the real tools.
pub fn display_width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars()
        .map(|c| match c as u32 {
            0x300..=0x36f => 0,
            0x1100..=0x115f
            | 0x2e80..=0x303e
            | 0x3041..=0x33ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xa000..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6
            | 0x1f300..=0x1f64f
            | 0x1f900..=0x1f9ff
            | 0x20000..=0x3fffd => 2,
            _ => 1,
        })
        .sum()
}

fn fits(indent: usize, line: &str, width: usize) -> bool {
    indent + display_width(line) <= width
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

/// Columns `items` take joined with `, `.
fn joined_width<S: AsRef<str>>(items: &[S]) -> usize {
    items
        .iter()
        .map(|i| display_width(i.as_ref()))
        .sum::<usize>()
        + 2 * items.len().saturating_sub(1)
}

fn push_joined<S: AsRef<str>>(out: &mut String, items: &[S]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_ref());
    }
}

/// Bytes of `items` one a line, for a buffer's capacity.
fn items_len<S: AsRef<str>>(items: &[S], indent: usize) -> usize {
    items.iter().map(|i| i.as_ref().len() + indent + 2).sum()
}

/// Bytes of a bracketed list laid out one item a line, at most: a line's buffer
/// sized once, not grown by doubling.
fn brackets_len<S: AsRef<str>>(indent: usize, pieces: &[&str], items: &[S]) -> usize {
    2 * indent + pieces.iter().map(|p| p.len()).sum::<usize>() + 4 + items_len(items, indent + 4)
}

/// `pieces` concatenated on one line at `indent`, `items` joined after the third.
fn push_one_line<S: AsRef<str>>(out: &mut String, indent: usize, pieces: &[&str], items: &[S]) {
    push_spaces(out, indent);
    out.push_str(pieces[0]);
    out.push_str(pieces[1]);
    out.push_str(pieces[2]);
    push_joined(out, items);
    for piece in &pieces[3..] {
        out.push_str(piece);
    }
}

/// `head` + `open` + items + `close` + `tail` at `indent`, as ruff format lays it out:
/// on one line if it fits; else, for a call (`(`) or a collection of one item, the
/// items together on their own line between the brackets if that line fits
/// (Black's right-hand split); else one item a line, with the trailing comma that
/// keeps ruff from joining them again. Every line carries its indentation.
pub fn python_brackets<S: AsRef<str>>(
    indent: usize,
    head: &str,
    open: &str,
    items: &[S],
    close: &str,
    tail: &str,
) -> String {
    let mut out = String::with_capacity(brackets_len(indent, &[head, open, close, tail], items));
    push_python_brackets(&mut out, indent, head, open, items, close, tail);
    out
}

/// `python_brackets`, appended to `out`.
pub fn push_python_brackets<S: AsRef<str>>(
    out: &mut String,
    indent: usize,
    head: &str,
    open: &str,
    items: &[S],
    close: &str,
    tail: &str,
) {
    let joined = joined_width(items);
    let flat = [head, open, close, tail]
        .map(display_width)
        .iter()
        .sum::<usize>()
        + joined;
    if indent + flat <= PYTHON_WIDTH {
        return push_one_line(out, indent, &[head, open, "", close, tail], items);
    }
    let inner = indent + 4;
    // A collection literal with several items always goes one a line (Black's
    // `should_split_line`); a call's arguments may stay together.
    let may_hug = open == "(" || items.len() == 1;
    if may_hug && (items.len() == 1 || inner + joined <= PYTHON_WIDTH) {
        push_one_line::<&str>(out, indent, &[head, open, "\n"], &[]);
        push_spaces(out, inner);
        push_joined(out, items);
        out.push('\n');
        push_spaces(out, indent);
        out.push_str(close);
        out.push_str(tail);
        return;
    }
    push_one_a_line(out, indent, 4, head, open, items, close, tail)
}

/// `head` + `open` + items + `close` + `tail` at `indent`, as prettier lays out call
/// arguments and array elements: on one line if it fits, else one a line with a
/// trailing comma (prettier's `trailingComma: "all"`).
pub fn typescript_brackets<S: AsRef<str>>(
    indent: usize,
    head: &str,
    open: &str,
    items: &[S],
    close: &str,
    tail: &str,
) -> String {
    let mut out = String::with_capacity(brackets_len(indent, &[head, open, close, tail], items));
    push_typescript_brackets(&mut out, indent, head, open, items, close, tail);
    out
}

/// `typescript_brackets`, appended to `out`.
pub fn push_typescript_brackets<S: AsRef<str>>(
    out: &mut String,
    indent: usize,
    head: &str,
    open: &str,
    items: &[S],
    close: &str,
    tail: &str,
) {
    // prettier's `bracketSpacing`: `{ a: 1 }`, but `[1]` and `f(1)`.
    let space = if open == "{" { " " } else { "" };
    let flat = [head, open, space, space, close, tail]
        .map(display_width)
        .iter()
        .sum::<usize>()
        + joined_width(items);
    if indent + flat <= TYPESCRIPT_WIDTH {
        return push_one_line(out, indent, &[head, open, space, space, close, tail], items);
    }
    push_one_a_line(out, indent, 2, head, open, items, close, tail)
}

/// An object property `key: value` + `tail` at `indent`, as prettier writes one whose
/// value is a string literal: after the colon if it fits, else on the next line,
/// indented.
pub fn typescript_property(indent: usize, key: &str, value: &str, tail: &str) -> String {
    let mut out = String::with_capacity(indent + key.len() + value.len() + tail.len() + 5);
    push_typescript_property(&mut out, indent, key, value, tail);
    out
}

/// `typescript_property`, appended to `out`.
pub fn push_typescript_property(
    out: &mut String,
    indent: usize,
    key: &str,
    value: &str,
    tail: &str,
) {
    let flat = display_width(key) + 2 + display_width(value) + display_width(tail);
    if indent + flat <= TYPESCRIPT_WIDTH {
        return push_one_line::<&str>(out, indent, &[key, ": ", value, tail], &[]);
    }
    push_spaces(out, indent);
    out.push_str(key);
    out.push_str(":\n");
    push_spaces(out, indent + 2);
    out.push_str(value);
    out.push_str(tail);
}

/// How prettier lays out a call whose last argument is an object literal
/// (`this.role = new iam.Role(this, 'Id', {`): the template writes the object's
/// properties between `open` and `close`, at column `indent` (`pad` holds that many
/// spaces, for the lines the template writes itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectCall {
    pub open: String,
    pub indent: usize,
    pub pad: String,
    pub close: String,
}

/// `head(args..., {` ... `})` + `tail` at `indent`, as prettier lays it out: the
/// object hugged by the call when everything before its `{` fits on the line
/// (prettier's last-argument expansion); else every argument on its own line and
/// the object's properties one level deeper.
pub fn typescript_object_call(
    indent: usize,
    head: &str,
    args: &[String],
    tail: &str,
) -> ObjectCall {
    let hugged = format!(
        "{head}({}{{",
        args.iter().map(|a| format!("{a}, ")).collect::<String>()
    );
    if fits(indent, &hugged, TYPESCRIPT_WIDTH) {
        return ObjectCall {
            open: format!("{}{hugged}", pad(indent)),
            indent: indent + 2,
            pad: pad(indent + 2),
            close: format!("{}}}){tail}", pad(indent)),
        };
    }
    let mut open = format!("{}{head}(\n", pad(indent));
    for a in args {
        open.push_str(&format!("{}{a},\n", pad(indent + 2)));
    }
    open.push_str(&format!("{}{{", pad(indent + 2)));
    ObjectCall {
        open,
        indent: indent + 4,
        pad: pad(indent + 4),
        close: format!("{}}},\n{}){tail}", pad(indent + 2), pad(indent)),
    }
}

/// A class attribute's annotation `name: annotation` at `indent`, as ruff format
/// writes one too long for its line: the annotation in parentheses on a line of
/// its own.
pub fn python_annotation(indent: usize, name: &str, annotation: &str) -> String {
    let flat = format!("{name}: {annotation}");
    if fits(indent, &flat, PYTHON_WIDTH) {
        return format!("{}{flat}", pad(indent));
    }
    format!(
        "{p}{name}: (\n{q}{annotation}\n{p})",
        p = pad(indent),
        q = pad(indent + 4)
    )
}

/// A list of concatenations (each item its operands, already spelled; a literal is
/// one operand) at `indent`, as prettier lays it out: `typescript_brackets` of the
/// items written `a + b`; when the list goes one item a line, an item too long for
/// its line breaks after each `+`, the operands after the first indented once more.
pub fn typescript_concatenations(
    indent: usize,
    head: &str,
    items: Vec<Vec<String>>,
    tail: &str,
) -> String {
    let (flat, operands): (Vec<String>, Vec<Option<Vec<String>>>) =
        items.into_iter().map(flattened).unzip();
    let laid = typescript_brackets(indent, head, "[", &flat, "]", tail);
    if !laid.contains('\n') {
        return laid;
    }
    let inner = indent + 2;
    let broken = format!(" +\n{}", pad(inner + 2));
    let items: Vec<String> = flat
        .into_iter()
        .zip(operands)
        .map(|(flat, operands)| match operands {
            Some(ops) if !fits(inner, &flat, TYPESCRIPT_WIDTH - 1) => ops.join(&broken),
            _ => flat,
        })
        .collect();
    one_a_line(indent, 2, head, "[", &items, "]", tail)
}

/// A concatenation written `a + b`, with its operands when there are several: a
/// literal alone (nearly every resource of a large spec) is moved, not copied.
fn flattened(mut operands: Vec<String>) -> (String, Option<Vec<String>>) {
    match operands.len() {
        1 => (operands.pop().unwrap_or_default(), None),
        _ => (operands.join(" + "), Some(operands)),
    }
}

/// A list of concatenations one item a line at `indent` (the goldens' layout, see
/// `one_a_line`), as ruff format lays it out: an item too long for its line breaks
/// before each `+`, every operand at the item's column.
pub fn python_concatenations(
    indent: usize,
    head: &str,
    items: Vec<Vec<String>>,
    tail: &str,
) -> String {
    let inner = indent + 4;
    let broken = format!("\n{}+ ", pad(inner));
    let items: Vec<String> = items
        .into_iter()
        .map(|ops| match flattened(ops) {
            (flat, Some(ops)) if !fits(inner, &flat, PYTHON_WIDTH - 1) => ops.join(&broken),
            (flat, _) => flat,
        })
        .collect();
    one_a_line(indent, 4, head, "[", &items, "]", tail)
}

/// One item a line, `step` columns in from the brackets, each with a trailing comma.
pub fn one_a_line<S: AsRef<str>>(
    indent: usize,
    step: usize,
    head: &str,
    open: &str,
    items: &[S],
    close: &str,
    tail: &str,
) -> String {
    let mut out = String::with_capacity(brackets_len(indent, &[head, open, close, tail], items));
    push_one_a_line(&mut out, indent, step, head, open, items, close, tail);
    out
}

/// `one_a_line`, appended to `out`.
#[allow(clippy::too_many_arguments)]
pub fn push_one_a_line<S: AsRef<str>>(
    out: &mut String,
    indent: usize,
    step: usize,
    head: &str,
    open: &str,
    items: &[S],
    close: &str,
    tail: &str,
) {
    out.reserve(brackets_len(indent, &[head, open, close, tail], items));
    push_spaces(out, indent);
    out.push_str(head);
    out.push_str(open);
    out.push('\n');
    for item in items {
        push_spaces(out, indent + step);
        out.push_str(item.as_ref());
        out.push_str(",\n");
    }
    push_spaces(out, indent);
    out.push_str(close);
    out.push_str(tail);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn width_counts_wide_characters_twice_and_accents_not_at_all() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("Grüße ÆØÅ"), 9);
        assert_eq!(display_width("東京"), 4);
        assert_eq!(display_width("😀"), 2);
        assert_eq!(display_width("e\u{301}"), 1);
    }

    #[test]
    fn python_call_stays_on_one_line_when_it_fits() {
        let out = python_brackets(
            8,
            "Tags.of(self.r).add",
            "(",
            &args(&["\"k\"", "\"v\""]),
            ")",
            "",
        );
        assert_eq!(out, "        Tags.of(self.r).add(\"k\", \"v\")");
    }

    #[test]
    fn python_call_too_long_keeps_its_arguments_together_when_they_fit() {
        let key = format!("\"{}\"", "k".repeat(40));
        let value = format!("\"{}\"", "v".repeat(30));
        let out = python_brackets(
            8,
            "Tags.of(self.r).add",
            "(",
            &[key.clone(), value.clone()],
            ")",
            "",
        );
        assert_eq!(
            out,
            format!("        Tags.of(self.r).add(\n            {key}, {value}\n        )")
        );
    }

    #[test]
    fn python_call_explodes_with_a_magic_trailing_comma_when_arguments_do_not_fit() {
        let a = format!("\"{}\"", "a".repeat(40));
        let b = format!("\"{}\"", "b".repeat(40));
        let out = python_brackets(8, "f", "(", &[a.clone(), b.clone()], ")", ",");
        assert_eq!(
            out,
            format!("        f(\n            {a},\n            {b},\n        ),")
        );
    }

    #[test]
    fn python_lone_argument_is_hugged_even_when_too_long() {
        let a = format!("\"{}\"", "a".repeat(90));
        let out = python_brackets(4, "f", "(", std::slice::from_ref(&a), ")", "");
        assert_eq!(out, format!("    f(\n        {a}\n    )"));
    }

    #[test]
    fn python_collection_of_several_items_goes_one_a_line() {
        let items = args(&[
            "\"s3:GetObject\"",
            "\"s3:PutObject\"",
            "\"s3:GetEncryptionConfiguration\"",
        ]);
        let out = python_brackets(40, "actions=", "[", &items, "]", ",");
        let p = " ".repeat(40);
        let q = " ".repeat(44);
        assert_eq!(
            out,
            format!(
                "{p}actions=[\n{q}\"s3:GetObject\",\n{q}\"s3:PutObject\",\n{q}\"s3:GetEncryptionConfiguration\",\n{p}],"
            )
        );
    }

    #[test]
    fn python_width_is_88_columns_inclusive() {
        let head = "x".repeat(86);
        assert_eq!(
            python_brackets::<String>(0, &head, "(", &[], ")", ""),
            format!("{head}()")
        );
        let head = "x".repeat(87);
        assert!(python_brackets(0, &head, "(", &args(&["a"]), ")", "").contains('\n'));
    }

    #[test]
    fn typescript_arguments_fit_or_go_one_a_line_with_trailing_commas() {
        let out = typescript_brackets(
            4,
            "Tags.of(this.r).add",
            "(",
            &args(&["'k'", "'v'"]),
            ")",
            ";",
        );
        assert_eq!(out, "    Tags.of(this.r).add('k', 'v');");
        let long = format!("'{}'", "v".repeat(110));
        let out = typescript_brackets(
            4,
            "Tags.of(this.r).add",
            "(",
            &["'k'".to_string(), long.clone()],
            ")",
            ";",
        );
        assert_eq!(
            out,
            format!("    Tags.of(this.r).add(\n      'k',\n      {long},\n    );")
        );
    }

    #[test]
    fn typescript_objects_get_spaces_inside_their_braces() {
        let out = typescript_brackets(
            8,
            "ArnEquals: ",
            "{",
            &args(&["'aws:SourceArn': 'x'"]),
            "}",
            ",",
        );
        assert_eq!(out, "        ArnEquals: { 'aws:SourceArn': 'x' },");
    }

    #[test]
    fn typescript_object_call_is_hugged_when_its_head_fits() {
        let call =
            typescript_object_call(4, "this.r = new iam.Role", &args(&["this", "'RRole'"]), ";");
        assert_eq!(
            call,
            ObjectCall {
                open: "    this.r = new iam.Role(this, 'RRole', {".into(),
                indent: 6,
                pad: "      ".into(),
                close: "    });".into(),
            }
        );
    }

    #[test]
    fn typescript_object_call_too_long_puts_every_argument_on_its_own_line() {
        let id = format!("'{}'", "R".repeat(90));
        let call = typescript_object_call(
            4,
            "this.r = new iam.Role",
            &["this".into(), id.clone()],
            ";",
        );
        assert_eq!(
            call,
            ObjectCall {
                open: format!("    this.r = new iam.Role(\n      this,\n      {id},\n      {{"),
                indent: 8,
                pad: "        ".into(),
                close: "      },\n    );".into(),
            }
        );
    }

    #[test]
    fn python_annotation_too_long_goes_in_parentheses() {
        assert_eq!(
            python_annotation(4, "role", "iam.Role"),
            "    role: iam.Role"
        );
        let name = "n".repeat(80);
        assert_eq!(
            python_annotation(4, &name, "iam.ManagedPolicy"),
            format!("    {name}: (\n        iam.ManagedPolicy\n    )")
        );
    }

    #[test]
    fn typescript_string_property_breaks_after_the_colon_when_too_long() {
        assert_eq!(
            typescript_property(6, "roleName", "'r'", ","),
            "      roleName: 'r',"
        );
        let long = format!("'{}'", "d".repeat(110));
        assert_eq!(
            typescript_property(6, "description", &long, ","),
            format!("      description:\n        {long},")
        );
    }
}
