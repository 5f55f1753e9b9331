// The one definition of the templates' syntax. `build.rs` includes this file to
// compile templates/ with it; `backend::templating` gives it to the environment, so
// templates compiled at run time (the tests') read the same way.

/// Blocks and variables as minijinja's defaults; `trim_blocks`/`lstrip_blocks` let
/// `{% %}` lines vanish, so templates can be indented for reading without indenting
/// the output; a template's last newline is kept.
pub fn syntax() -> minijinja::syntax::SyntaxConfig {
    minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .expect("a fixed, valid syntax configuration")
}
