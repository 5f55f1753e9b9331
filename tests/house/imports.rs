//! The crate's module graph, read with a Rust parser (`syn`), not a grep: every
//! production file of src/ (unit tests left out: `#[cfg(test)]` items and the
//! modules declared under it), what each names of the crate (in `use` trees, with
//! groups, renames and `self`/`super`/`crate`, and in paths in code, such as
//! `stacks::part(..)` through a module it imported), and which file defines each
//! name (re-exports followed to the file that defines the item).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::Visit;

/// A module path from the crate root: `["backend", "stacks"]`.
pub type ModPath = Vec<String>;

/// One production file of the library crate.
pub struct File {
    /// Relative to src/, `/`-separated.
    pub name: String,
    pub module: ModPath,
    /// Every `use` leaf of the file: its name in this module and the full path it
    /// names (`None` for a glob).
    pub uses: Vec<Use>,
    /// Every path in code whose first segment is `crate`, `super`, `self`, a child
    /// module or a name the file imported, resolved to a full path from the root.
    pub paths: Vec<ModPath>,
}

#[derive(Debug, Clone)]
pub struct Use {
    /// The name it binds (`None` for a glob, `_` for an anonymous import).
    pub name: Option<String>,
    /// The full path from the crate root (or the external crate's name first).
    pub path: ModPath,
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The full path of `segments` written in `module` (`crate`, `super`, `self`
/// resolved; anything else left as it is written).
fn absolute(module: &[String], segments: &[String]) -> ModPath {
    let mut out: ModPath = module.to_vec();
    let mut rest = segments;
    match segments.first().map(String::as_str) {
        Some("crate") => {
            out.clear();
            rest = &segments[1..];
        }
        Some("super") | Some("self") => {
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "super" => {
                        out.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        _ => return segments.to_vec(),
    }
    out.extend(rest.iter().cloned());
    out
}

fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Use>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            let mut path = prefix.clone();
            if name != "self" {
                path.push(name.clone());
            }
            let name = if name == "self" {
                prefix.last().cloned()
            } else {
                Some(name)
            };
            out.push(Use { name, path });
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            out.push(Use {
                name: Some(r.rename.to_string()),
                path,
            });
        }
        syn::UseTree::Glob(_) => out.push(Use {
            name: None,
            path: prefix.clone(),
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix, out);
            }
        }
    }
}

/// Collects the file's `use` items, child modules and code paths, skipping every
/// `#[cfg(test)]` item.
#[derive(Default)]
struct Collector {
    uses: Vec<Use>,
    children: BTreeSet<String>,
    test_children: BTreeSet<String>,
    /// Each path in code, after the inline modules (`mod x { .. }`) it is in.
    raw_paths: Vec<(Vec<String>, Vec<String>)>,
    inline: Vec<String>,
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            _ => &Vec::new(),
        };
        if is_cfg_test(attrs) {
            if let syn::Item::Mod(m) = item {
                self.test_children.insert(m.ident.to_string());
            }
            return;
        }
        match item {
            syn::Item::Use(u) => flatten(&u.tree, &mut Vec::new(), &mut self.uses),
            syn::Item::Mod(m) if m.content.is_none() => {
                self.children.insert(m.ident.to_string());
            }
            syn::Item::Mod(m) => {
                self.inline.push(m.ident.to_string());
                syn::visit::visit_item(self, item);
                self.inline.pop();
            }
            _ => syn::visit::visit_item(self, item),
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_cfg_test(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() > 1 {
            self.raw_paths.push((
                self.inline.clone(),
                path.segments.iter().map(|s| s.ident.to_string()).collect(),
            ));
        }
        syn::visit::visit_path(self, path);
    }
}

/// The module path of a file under src/ (`backend/mod.rs` -> `backend`).
fn module_of(name: &str) -> ModPath {
    let trimmed = name.trim_end_matches(".rs");
    let mut parts: ModPath = trimmed.split('/').map(String::from).collect();
    if matches!(parts.last().map(String::as_str), Some("mod") | Some("lib")) {
        parts.pop();
    }
    parts
}

/// Every production file of the library crate, parsed; `sources` are (name under
/// src/, text) pairs. A file that a `#[cfg(test)]` declaration brings in is left
/// out, and so is main.rs (the binary: it uses the library by its crate name).
pub fn read(sources: &[(String, String)]) -> Vec<File> {
    let mut parsed = BTreeMap::new();
    for (name, text) in sources {
        if name == "main.rs" {
            continue;
        }
        let ast = syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut c = Collector::default();
        c.visit_file(&ast);
        parsed.insert(name.clone(), c);
    }
    let test_modules: BTreeSet<ModPath> = parsed
        .iter()
        .flat_map(|(name, c)| {
            let module = module_of(name);
            c.test_children.iter().map(move |t| {
                let mut m = module.clone();
                m.push(t.clone());
                m
            })
        })
        .collect();
    let mut files = Vec::new();
    for (name, c) in parsed {
        let module = module_of(&name);
        if test_modules.iter().any(|t| module.starts_with(t)) {
            continue;
        }
        // A `use` names the crate from `crate`, `super`, `self` or a child module
        // (2018 paths); anything else is another crate's, left out.
        let uses: Vec<Use> = c
            .uses
            .iter()
            .filter_map(|u| {
                let first = u.path.first()?.as_str();
                let path = if matches!(first, "crate" | "super" | "self") {
                    absolute(&module, &u.path)
                } else if c.children.contains(first) {
                    let mut m = module.clone();
                    m.extend(u.path.iter().cloned());
                    m
                } else {
                    return None;
                };
                Some(Use { path, ..u.clone() })
            })
            .collect();
        let mut paths = Vec::new();
        for (inline, raw) in &c.raw_paths {
            let first = raw[0].as_str();
            let full = if matches!(first, "crate" | "super" | "self") {
                let mut within = module.clone();
                within.extend(inline.iter().cloned());
                absolute(&within, raw)
            } else if c.children.contains(first) {
                let mut m = module.clone();
                m.extend(raw.iter().cloned());
                m
            } else if let Some(u) = uses.iter().find(|u| u.name.as_deref() == Some(first)) {
                let mut m = u.path.clone();
                m.extend(raw[1..].iter().cloned());
                m
            } else {
                continue;
            };
            paths.push(full);
        }
        files.push(File {
            name,
            module,
            uses,
            paths,
        });
    }
    files
}

/// The file that defines what `path` names: the longest prefix of `path` that is a
/// module, then, when the next segment is a name that module imports (a re-export,
/// or a parent's import a child reaches through `super`), where that import leads.
/// `None` for a path outside the crate.
pub fn defining_file<'f>(files: &'f [File], path: &[String]) -> Option<&'f File> {
    let mut path = path.to_vec();
    for _ in 0..16 {
        let file = files
            .iter()
            .filter(|f| path.starts_with(&f.module))
            .max_by_key(|f| f.module.len())?;
        let Some(next) = path.get(file.module.len()) else {
            return Some(file);
        };
        match file.uses.iter().find(|u| u.name.as_deref() == Some(next)) {
            Some(u) if u.path != path => {
                let mut followed = u.path.clone();
                followed.extend(path[file.module.len() + 1..].iter().cloned());
                path = followed;
            }
            _ => return Some(file),
        }
    }
    None
}

/// Every edge `file -> file that defines a name it uses`, with the names.
pub fn edges(files: &[File]) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let named = f
            .uses
            .iter()
            .filter(|u| u.name.is_some())
            .map(|u| &u.path)
            .chain(&f.paths);
        for path in named {
            if path.is_empty() {
                continue;
            }
            let Some(to) = defining_file(files, path) else {
                continue;
            };
            if to.name != f.name {
                let name = path.last().cloned().unwrap_or_default();
                edges
                    .entry((f.name.clone(), to.name.clone()))
                    .or_default()
                    .insert(name);
            }
        }
    }
    edges
}

/// The strongly connected components of more than one file (Tarjan), each sorted.
pub fn cycles(nodes: &[String], edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeSet<(String, String)>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn connect<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        let next: Vec<&'a str> = s
            .edges
            .iter()
            .filter(|(a, _)| a == v)
            .map(|(_, b)| b.as_str())
            .collect();
        for w in next {
            if !s.index.contains_key(w) {
                connect(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for n in nodes {
        if !s.index.contains_key(n.as_str()) {
            connect(&mut s, n);
        }
    }
    s.out.sort();
    s.out
}

/// Reads src/ of this crate as (name, text) pairs, sorted.
pub fn sources(root: &Path) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}
