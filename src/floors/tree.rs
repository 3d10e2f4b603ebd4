//! The crate's module tree, read from `src/` the way rustc finds files (`mod x;` → `x.rs` or
//! `x/mod.rs`, `#[path = "…"]`, inline `mod x { … }`), and every path in it that names a module
//! of this crate: `use crate::…`, `use super::…`, `crate::x::f()`, `$crate::…`, and `use x::…`
//! where `x` is a child module or a name brought in by another `use`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::lex::{Spanned, Token, tokens};

/// Index of a module in [`Tree::modules`]; the crate root is 0.
pub type ModId = usize;

/// A module: a file or an inline `mod x { … }` inside one.
#[derive(Debug)]
pub struct Module {
    /// Names from the crate root (`["config", "file"]`); empty for the root.
    pub path: Vec<String>,
    pub parent: Option<ModId>,
    pub children: BTreeMap<String, ModId>,
    /// The file it lives in, relative to the crate (`src/config/file.rs`).
    pub file: PathBuf,
    /// What each `use` in it names: the name it binds → the path it came from.
    uses: BTreeMap<String, RawPath>,
}

/// A path as written, before it is made absolute.
#[derive(Clone, Debug)]
struct RawPath {
    anchor: Anchor,
    segments: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
enum Anchor {
    /// `crate::` or `$crate::`.
    Crate,
    /// `self::` (0) or `super::` repeated n times.
    Up(usize),
    /// A bare first segment: a child module, a name a `use` brought in, or another crate.
    Bare,
}

/// A path in module `from`'s code, at `file:line`, that names something in this crate.
#[derive(Debug)]
pub struct Reference {
    pub from: ModId,
    pub line: usize,
    raw: RawPath,
}

/// The whole crate: its modules and the references between them.
#[derive(Debug)]
pub struct Tree {
    pub modules: Vec<Module>,
    pub references: Vec<Reference>,
}

impl Tree {
    /// Reads the crate rooted at `root/src/lib.rs`. A `mod x;` whose file is missing is an error
    /// (the crate would not build either), so a moved file cannot hide its imports.
    pub fn read(root: &Path) -> Result<Tree, String> {
        let mut tree = Tree {
            modules: Vec::new(),
            references: Vec::new(),
        };
        tree.add_file(root, Path::new("src/lib.rs"), Vec::new(), None, true)?;
        Ok(tree)
    }

    /// The module a path names: its deepest module, following `use` re-exports (`super::Keymap`
    /// where the parent has `pub use keymap::Keymap` names `keymap`). `None` for a path that
    /// leaves this crate (`std::…`, another crate).
    pub fn target(&self, reference: &Reference) -> Option<ModId> {
        let absolute = self.absolute(reference.from, &reference.raw, 0)?;
        Some(self.deepest(&absolute, 0))
    }

    fn add_file(
        &mut self,
        root: &Path,
        file: &Path,
        path: Vec<String>,
        parent: Option<ModId>,
        owns_folder: bool,
    ) -> Result<ModId, String> {
        let source =
            fs::read_to_string(root.join(file)).map_err(|e| format!("{}: {e}", file.display()))?;
        let id = self.add_module(path, parent, file);
        // Children of `lib.rs`, `mod.rs` (and `#[path]` files) sit beside it; those of `x.rs`
        // in `x/`.
        let folder = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let child_folder = if owns_folder {
            folder.clone()
        } else {
            folder.join(file.file_stem().unwrap_or_default())
        };
        let tokens = tokens(&source);
        self.scan(root, &tokens, id, &folder, &child_folder)?;
        Ok(id)
    }

    fn add_module(&mut self, path: Vec<String>, parent: Option<ModId>, file: &Path) -> ModId {
        let id = self.modules.len();
        if let (Some(parent), Some(name)) = (parent, path.last()) {
            self.modules[parent].children.insert(name.clone(), id);
        }
        self.modules.push(Module {
            path,
            parent,
            children: BTreeMap::new(),
            file: file.to_path_buf(),
            uses: BTreeMap::new(),
        });
        id
    }

    /// One file's tokens: modules declared, `use` declarations and anchored paths.
    fn scan(
        &mut self,
        root: &Path,
        tokens: &[Spanned],
        file_module: ModId,
        folder: &Path,
        child_folder: &Path,
    ) -> Result<(), String> {
        // Inline modules open: (module, brace depth inside it).
        let mut open: Vec<(ModId, usize)> = Vec::new();
        let mut depth = 0;
        let mut path_attribute: Option<String> = None;
        let mut i = 0;
        while i < tokens.len() {
            let here = open.last().map_or(file_module, |(m, _)| *m);
            match (&tokens[i].token, tokens.get(i + 1).map(|t| &t.token)) {
                (Token::Punct('{'), _) => depth += 1,
                (Token::Punct('}'), _) => {
                    depth -= 1;
                    if open.last().is_some_and(|(_, d)| *d == depth + 1) {
                        open.pop();
                    }
                }
                (Token::Punct('#'), Some(Token::Punct('['))) => {
                    if let [_, _, a, b, c, ..] = &tokens[i..]
                        && a.token == Token::Ident("path".into())
                        && b.token == Token::Punct('=')
                        && let Token::Literal(value) = &c.token
                    {
                        path_attribute = Some(value.clone());
                    }
                }
                (Token::Ident(word), Some(Token::Ident(name))) if word == "mod" => {
                    let mut child_path = self.modules[here].path.clone();
                    child_path.push(name.clone());
                    match tokens.get(i + 2).map(|t| &t.token) {
                        Some(Token::Punct('{')) => {
                            let file = self.modules[here].file.clone();
                            let id = self.add_module(child_path, Some(here), &file);
                            depth += 1;
                            open.push((id, depth));
                            i += 3;
                            continue;
                        }
                        Some(Token::Punct(';')) => {
                            let inline_folder =
                                open.iter().fold(child_folder.to_path_buf(), |f, (m, _)| {
                                    f.join(self.modules[*m].path.last().map_or("", String::as_str))
                                });
                            let (file, owns_folder) = match path_attribute.take() {
                                Some(p) => (folder.join(&p), p.ends_with("mod.rs")),
                                None => child_file(root, &inline_folder, name),
                            };
                            self.add_file(root, &file, child_path, Some(here), owns_folder)?;
                        }
                        _ => {}
                    }
                }
                (Token::Ident(word), _) if word == "use" => {
                    let end = tokens[i..]
                        .iter()
                        .position(|t| t.token == Token::Punct(';'))
                        .map_or(tokens.len(), |p| i + p);
                    self.use_declaration(here, &tokens[i + 1..end]);
                    i = end;
                    continue;
                }
                (Token::Ident(word), Some(Token::PathSep))
                    if matches!(word.as_str(), "crate" | "super" | "self")
                        && !matches!(
                            i.checked_sub(1).map(|p| &tokens[p].token),
                            Some(Token::PathSep)
                        ) =>
                {
                    let (raw, used) = anchored_path(&tokens[i..]);
                    self.references.push(Reference {
                        from: here,
                        line: tokens[i].line,
                        raw,
                    });
                    i += used;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }

    /// `use a::{b, c::d as e, f::*};`: each leaf is a reference, and binds a name in `module`.
    fn use_declaration(&mut self, module: ModId, tokens: &[Spanned]) {
        let mut leaves = Vec::new();
        use_tree(tokens, 0, &[], &mut leaves);
        for (segments, bound, line) in leaves {
            let Some(raw) = raw_path(segments) else {
                continue;
            };
            if let Some(name) = bound {
                self.modules[module].uses.insert(name, raw.clone());
            }
            self.references.push(Reference {
                from: module,
                line,
                raw,
            });
        }
    }

    /// The path from the crate root that `raw`, written in `module`, stands for.
    fn absolute(&self, module: ModId, raw: &RawPath, hops: usize) -> Option<Vec<String>> {
        let here = &self.modules[module].path;
        match raw.anchor {
            Anchor::Crate => Some(raw.segments.clone()),
            Anchor::Up(n) => {
                let kept = here.len().checked_sub(n)?;
                Some(here[..kept].iter().chain(&raw.segments).cloned().collect())
            }
            Anchor::Bare => {
                let first = raw.segments.first()?;
                if self.modules[module].children.contains_key(first) {
                    return Some(here.iter().chain(&raw.segments).cloned().collect());
                }
                // A name a `use` of this module brought in (`use super::file; use file::X;`).
                let via = self.modules[module].uses.get(first)?;
                if hops > 8 || matches!(via.anchor, Anchor::Bare) && via.segments.len() == 1 {
                    return None;
                }
                let mut absolute = self.absolute(module, via, hops + 1)?;
                absolute.extend(raw.segments[1..].iter().cloned());
                Some(absolute)
            }
        }
    }

    /// The deepest module an absolute path goes through, following `use` bindings of the
    /// module it has reached when the next name is not a child.
    fn deepest(&self, absolute: &[String], hops: usize) -> ModId {
        let mut at = 0;
        for (i, name) in absolute.iter().enumerate() {
            if let Some(child) = self.modules[at].children.get(name) {
                at = *child;
                continue;
            }
            if hops < 8
                && let Some(via) = self.modules[at].uses.get(name)
                && let Some(mut forward) = self.absolute(at, via, 0)
            {
                forward.extend(absolute[i + 1..].iter().cloned());
                return self.deepest(&forward, hops + 1);
            }
            break;
        }
        at
    }
}

/// Where `mod name;` lives: `folder/name.rs` (owning `folder/name/`) or `folder/name/mod.rs`.
fn child_file(root: &Path, folder: &Path, name: &str) -> (PathBuf, bool) {
    let flat = folder.join(format!("{name}.rs"));
    if root.join(&flat).is_file() {
        (flat, false)
    } else {
        (folder.join(name).join("mod.rs"), true)
    }
}

/// `crate::a::b` / `super::super::a` / `self::a` at the start of `tokens`: the path and how
/// many tokens it took. Stops before `::{`, `::<` or `::*`.
fn anchored_path(tokens: &[Spanned]) -> (RawPath, usize) {
    let mut segments = Vec::new();
    let mut used = 0;
    while let Some(Token::Ident(word)) = tokens.get(used).map(|t| &t.token) {
        segments.push(word.clone());
        used += 1;
        if tokens.get(used).map(|t| &t.token) != Some(&Token::PathSep)
            || !matches!(
                tokens.get(used + 1).map(|t| &t.token),
                Some(Token::Ident(_))
            )
        {
            break;
        }
        used += 1;
    }
    let raw = raw_path(segments).unwrap_or(RawPath {
        anchor: Anchor::Crate,
        segments: Vec::new(),
    });
    (raw, used.max(1))
}

/// Classifies a path by its first segments; `None` for an empty one.
fn raw_path(mut segments: Vec<String>) -> Option<RawPath> {
    let anchor = match segments.first()?.as_str() {
        "crate" => {
            segments.remove(0);
            Anchor::Crate
        }
        "self" | "super" => {
            let ups = segments.iter().take_while(|s| *s == "super").count();
            let skip = if segments[0] == "self" { 1 } else { ups };
            segments.drain(..skip);
            Anchor::Up(ups)
        }
        _ => Anchor::Bare,
    };
    Some(RawPath { anchor, segments })
}

/// A leaf of a use tree: its full path, the name it binds (none for a glob or `as _`), its line.
type Leaf = (Vec<String>, Option<String>, usize);

/// Leaves of the use tree at `tokens[at..]` under `prefix`, and where it ends:
/// `a::{self, b as c, d::*}` gives `a` binding `a`, `a::b` binding `c`, `a::d` binding nothing.
fn use_tree(tokens: &[Spanned], mut at: usize, prefix: &[String], leaves: &mut Vec<Leaf>) -> usize {
    let token = |at: usize| tokens.get(at).map(|t| &t.token);
    let mut path = prefix.to_vec();
    loop {
        match token(at) {
            Some(Token::PathSep | Token::Punct('$')) => at += 1,
            Some(Token::Punct('{')) => {
                at += 1;
                while token(at).is_some_and(|t| *t != Token::Punct('}')) {
                    let end = use_tree(tokens, at, &path, leaves);
                    at = if end == at { end + 1 } else { end };
                    if token(at) == Some(&Token::Punct(',')) {
                        at += 1;
                    }
                }
                return at + 1;
            }
            Some(Token::Punct('*')) => {
                leaves.push((path, None, tokens[at].line));
                return at + 1;
            }
            Some(Token::Ident(word)) => {
                let line = tokens[at].line;
                path.push(word.clone());
                at += 1;
                if token(at) == Some(&Token::PathSep) {
                    continue;
                }
                // `a::{self}` is `a` itself.
                if path.len() > 1 && path.last().is_some_and(|last| last == "self") {
                    path.pop();
                }
                let mut bound = path.last().cloned();
                if token(at) == Some(&Token::Ident("as".into())) {
                    bound = match token(at + 1) {
                        Some(Token::Ident(alias)) if alias != "_" => Some(alias.clone()),
                        _ => None,
                    };
                    at += 2;
                }
                leaves.push((path, bound, line));
                return at;
            }
            _ => return at,
        }
    }
}
