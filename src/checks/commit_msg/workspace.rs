//! The packages of a monorepo's workspace, as commit scopes: npm/yarn (`package.json`
//! `workspaces`, a list or `{ packages: [...] }`), pnpm (`pnpm-workspace.yaml` `packages:`) and
//! Cargo (`Cargo.toml` `[workspace] members`, minus `exclude`). Globs are matched against the
//! directories that hold the manifest in the tree; `!glob` excludes. A package's scope is its
//! name (`package.json` `name`, without an npm `@org/` prefix; Cargo's `package.name`), else its
//! directory's base name.
//!
//! Read from the tree the message belongs to, never from the work tree: at commit-msg the index
//! (what is being committed), at push and in ci the tip being pushed or merged.

use std::path::PathBuf;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::pnpm;
use crate::changeset::ChangeSet;
use crate::changeset::Mode;
use crate::config::line_col;
use crate::error::{Error, Result};

const MANIFESTS: [&str; 3] = ["package.json", "Cargo.toml", "pnpm-workspace.yaml"];

/// One package of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The scope a commit names it by.
    pub scope: String,
    /// Its full name (`@org/web`), accepted too.
    pub name: String,
}

/// A glob as written, with the byte offset where it is written (for errors).
type Written = (String, usize);

/// A manifest file of the tree, with its text.
struct File {
    path: String,
    text: String,
}

/// The workspace's packages; an error when the tree declares no workspace (the setting would
/// reject every scope) or a manifest cannot be read.
pub fn packages(cs: &ChangeSet) -> Result<Vec<Package>> {
    if judged_commit(cs).is_some() {
        return packages_of(&manifests(cs)?);
    }
    // commit-msg: an unchanged workspace (the same manifests, by path and blob id, as read
    // straight from the index) is a cache read.
    let key = index_manifests(cs);
    if let Some(hit) = key
        .as_deref()
        .and_then(|k| super::scope_cache::lookup(cs, k))
    {
        return Ok(hit);
    }
    let staged: Vec<(String, String)> = staged_manifests(cs)?
        .into_iter()
        .filter(|(_, path)| wanted(path))
        .collect();
    let mut files = Vec::new();
    for (blob, path) in &staged {
        files.push(file(path, cs.blob(blob)?));
    }
    let packages = packages_of(&files)?;
    // Kept only when the index reader agrees with git (it reads SHA-1 ids, plain indexes).
    if key.as_ref() == Some(&staged) {
        super::scope_cache::store(cs, &staged, &packages);
    }
    Ok(packages)
}

/// `(blob id, path)` of the index's manifests, as [`staged_manifests`] lists them, read from
/// the index file in process; `None` when the reader does not know the file.
fn index_manifests(cs: &ChangeSet) -> Option<Vec<(String, String)>> {
    let store = crate::git::store::GitStore::of(&*cs.store).ok()?;
    let index = match &store.index_file {
        Some(f) => f.clone(),
        None => store.git_dir.join("index"),
    };
    let bytes = std::fs::read(index).ok()?;
    let keep = |p: &[u8]| std::str::from_utf8(p).is_ok_and(wanted);
    let entries = crate::git::index_paths::entries(&bytes, keep)?;
    Some(
        entries
            .into_iter()
            .filter(|e| e.stage == 0 && (e.mode == 0o100644 || e.mode == 0o100755))
            .filter_map(|e| Some((e.id, String::from_utf8(e.path).ok()?)))
            .collect(),
    )
}

/// The packages `files` (the tree's manifests) declare.
fn packages_of(files: &[File]) -> Result<Vec<Package>> {
    let get = |p: &str| files.iter().find(|f| f.path == p);
    let mut js: Vec<(String, usize, &File)> = Vec::new();
    if let Some(f) = get("package.json") {
        for (g, at) in npm_workspaces(f)? {
            js.push((g, at, f));
        }
    }
    if let Some(f) = get("pnpm-workspace.yaml") {
        let text = &f.text;
        for (g, line) in pnpm::packages(text).map_err(|(line, m)| at_line(f, line, m))? {
            let offset = offset_of_line(text, line);
            js.push((g, offset, f));
        }
    }
    let mut cargo: Vec<(String, usize, &File)> = Vec::new();
    let mut cargo_root = None;
    if let Some(f) = get("Cargo.toml") {
        let (members, root_pkg) = cargo_members(f)?;
        cargo = members.into_iter().map(|(g, at)| (g, at, f)).collect();
        cargo_root = root_pkg;
    }
    if js.is_empty() && cargo.is_empty() {
        return Err(Error::Other("[commit-msg] scopes = \"workspace\": the tree declares no workspace (package.json `workspaces`, pnpm-workspace.yaml `packages`, Cargo.toml `[workspace] members`); list the scopes instead: scopes = [\"api\", \"ui\"]".into()));
    }
    let mut out = Vec::new();
    let js_set = globs(&js)?;
    for f in files
        .iter()
        .filter(|f| file_name(&f.path) == "package.json")
    {
        let dir = parent(&f.path);
        if !dir.is_empty() && js_set.matches(dir) {
            out.push(npm_package(f, dir)?);
        }
    }
    let cargo_set = globs(&cargo)?;
    out.extend(cargo_root);
    for f in files.iter().filter(|f| file_name(&f.path) == "Cargo.toml") {
        let dir = parent(&f.path);
        if !dir.is_empty() && cargo_set.matches(dir) {
            out.push(cargo_package(f, dir)?);
        }
    }
    if out.is_empty() {
        return Err(Error::Other("[commit-msg] scopes = \"workspace\": the workspace's globs match no package directory of the tree (one holding a package.json or Cargo.toml); add a package, or list the scopes instead".into()));
    }
    Ok(out)
}

/// A workspace manifest, outside `node_modules`.
fn wanted(p: &str) -> bool {
    MANIFESTS.contains(&file_name(p)) && !p.split('/').any(|s| s == "node_modules")
}

/// Every manifest of the commit the message belongs to (push, ci).
fn manifests(cs: &ChangeSet) -> Result<Vec<File>> {
    let mut out = Vec::new();
    if let Some(commit) = judged_commit(cs) {
        for p in cs.store.tree_paths(&commit)? {
            let Some(s) = std::str::from_utf8(p.as_bytes()).ok().filter(|s| wanted(s)) else {
                continue;
            };
            if let Some(data) = cs.store.file_at(&commit, &p)? {
                out.push(file(s, data));
            }
        }
    }
    Ok(out)
}

fn file(path: &str, data: Vec<u8>) -> File {
    File {
        path: path.to_owned(),
        text: String::from_utf8_lossy(&data).into_owned(),
    }
}

/// The packages named by `[commit-msg] scopes` `dirs`: each directory of the tree that a glob
/// matches, by its base name.
pub fn directories(cs: &ChangeSet, globs: &[String]) -> Result<Vec<Package>> {
    let set = dir_globs(globs).map_err(Error::Other)?;
    let paths = match judged_commit(cs) {
        Some(commit) => cs.store.tree_paths(&commit)?,
        None => cs.store.index_paths()?,
    };
    let mut dirs = std::collections::BTreeSet::new();
    for p in &paths {
        let Ok(s) = std::str::from_utf8(p.as_bytes()) else {
            continue;
        };
        let mut dir = parent(s);
        while !dir.is_empty() && dirs.insert(dir.to_owned()) {
            dir = parent(dir);
        }
    }
    let out: Vec<Package> = dirs
        .iter()
        .filter(|d| set.matches(d))
        .map(|d| by_dir(d))
        .collect();
    if out.is_empty() {
        return Err(Error::Other(format!(
            "[commit-msg] scopes dirs = {globs:?} match no directory of the tree; fix the globs"
        )));
    }
    Ok(out)
}

/// The commit whose tree the message belongs to; `None`: the index (commit-msg).
fn judged_commit(cs: &ChangeSet) -> Option<String> {
    if cs.mode == Mode::CommitMsg {
        return None;
    }
    if cs.mode.is_push() {
        if let Some(r) = cs.push.iter().find(|r| !r.new_commits.is_empty()) {
            return Some(r.local_oid.clone());
        }
    }
    cs.head.clone()
}

/// `(blob id, path)` of the manifests in the index the commit is made from (git hands the hook
/// its `GIT_INDEX_FILE`, which `git ls-files` reads).
fn staged_manifests(cs: &ChangeSet) -> Result<Vec<(String, String)>> {
    let out = crate::git::cmd::git_cmd()
        .current_dir(&cs.root)
        .args(["ls-files", "-s", "-z", "--"])
        .args(MANIFESTS.iter().map(|m| format!(":(glob)**/{m}")))
        .output()
        .map_err(|e| Error::Git(format!("cannot run git ls-files: {e}")))?;
    if !out.status.success() {
        return Err(Error::Git(format!(
            "git ls-files: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let mut v = Vec::new();
    for rec in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let rec = String::from_utf8_lossy(rec);
        // `<mode> <blob> <stage>\t<path>`
        let Some((meta, path)) = rec.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (mode, blob, stage) = (parts.next(), parts.next(), parts.next());
        if mode == Some("100644") || mode == Some("100755") {
            if let (Some(blob), Some("0")) = (blob, stage) {
                v.push((blob.to_owned(), path.to_owned()));
            }
        }
    }
    Ok(v)
}

fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn parent(p: &str) -> &str {
    p.rsplit_once('/').map_or("", |(d, _)| d)
}

fn at_line(f: &File, line: usize, message: String) -> Error {
    Error::Config {
        file: PathBuf::from(&f.path),
        line,
        column: 1,
        message,
    }
}

fn at_offset(f: &File, offset: usize, message: String) -> Error {
    let (line, column) = line_col(&f.text, offset);
    Error::Config {
        file: PathBuf::from(&f.path),
        line,
        column,
        message,
    }
}

fn offset_of_line(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// Where `needle` first appears in `f` (for values a parser does not locate), else the start.
fn offset_of(f: &File, needle: &str) -> usize {
    f.text.find(needle).unwrap_or(0)
}

fn json(f: &File) -> Result<serde_json::Value> {
    serde_json::from_str(&f.text).map_err(|e| Error::Config {
        file: PathBuf::from(&f.path),
        line: e.line(),
        column: e.column(),
        message: format!("not valid JSON: {e}"),
    })
}

fn toml_value(f: &File) -> Result<toml::Value> {
    toml::from_str(&f.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at_offset(f, offset, format!("not valid TOML: {}", e.message()))
    })
}

/// The root package.json's `workspaces` globs, each with where it is written.
fn npm_workspaces(f: &File) -> Result<Vec<Written>> {
    let v = json(f)?;
    let Some(ws) = v.get("workspaces") else {
        return Ok(Vec::new());
    };
    let list = match ws {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("packages") {
            Some(serde_json::Value::Array(a)) => a,
            _ => return Err(at_offset(f, offset_of(f, "\"workspaces\""), "`workspaces` is an object without a `packages` list; write \"workspaces\": [\"packages/*\"] or {\"packages\": [\"packages/*\"]}".into())),
        },
        _ => return Err(at_offset(f, offset_of(f, "\"workspaces\""), "`workspaces` must be a list of globs, e.g. [\"packages/*\"], or {\"packages\": [...]}".into())),
    };
    list.iter()
        .map(|g| match g.as_str() {
            Some(s) => Ok((s.to_owned(), offset_of(f, &format!("\"{s}\"")))),
            None => Err(at_offset(
                f,
                offset_of(f, "\"workspaces\""),
                format!("`workspaces` holds {g}, not a glob string"),
            )),
        })
        .collect()
}

/// The root Cargo.toml's `[workspace] members` (with `exclude` as `!` globs), and the root
/// package when the root manifest is one too.
fn cargo_members(f: &File) -> Result<(Vec<Written>, Option<Package>)> {
    let v = toml_value(f)?;
    let Some(ws) = v.get("workspace") else {
        return Ok((Vec::new(), None));
    };
    let mut out = Vec::new();
    for (key, negate) in [("members", ""), ("exclude", "!")] {
        let Some(list) = ws.get(key) else {
            continue;
        };
        let Some(list) = list.as_array() else {
            return Err(at_offset(
                f,
                offset_of(f, key),
                format!("[workspace] {key} must be a list of paths or globs"),
            ));
        };
        for g in list {
            let Some(s) = g.as_str() else {
                return Err(at_offset(
                    f,
                    offset_of(f, key),
                    format!("[workspace] {key} holds {g}, not a string"),
                ));
            };
            out.push((format!("{negate}{s}"), offset_of(f, &format!("\"{s}\""))));
        }
    }
    let root = v
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(|n| Package {
            scope: n.to_owned(),
            name: n.to_owned(),
        });
    Ok((out, root))
}

/// Positive and `!` globs, matched against whole directory paths.
pub struct Globs {
    include: GlobSet,
    exclude: GlobSet,
}

impl Globs {
    fn matches(&self, dir: &str) -> bool {
        self.include.is_match(dir) && !self.exclude.is_match(dir)
    }
}

/// One directory glob (`!` already taken off): `./` and a trailing `/` ignored, `*` within one
/// path segment.
fn dir_glob(pat: &str) -> std::result::Result<globset::Glob, globset::Error> {
    let pat = pat.trim_start_matches("./").trim_end_matches('/');
    GlobBuilder::new(pat).literal_separator(true).build()
}

/// Directory globs as a config writes them (`!` excludes); the error says which glob is bad.
pub fn dir_globs(list: &[String]) -> std::result::Result<Globs, String> {
    let mut inc = GlobSetBuilder::new();
    let mut exc = GlobSetBuilder::new();
    for g in list {
        let (negated, pat) = split_negation(g);
        let glob = dir_glob(pat).map_err(|e| format!("glob `{g}`: {}", e.kind()))?;
        if negated {
            exc.add(glob);
        } else {
            inc.add(glob);
        }
    }
    let build = |b: GlobSetBuilder| b.build().map_err(|e| format!("globs: {e}"));
    Ok(Globs {
        include: build(inc)?,
        exclude: build(exc)?,
    })
}

fn split_negation(g: &str) -> (bool, &str) {
    match g.strip_prefix('!') {
        Some(p) => (true, p),
        None => (false, g),
    }
}

fn globs(list: &[(String, usize, &File)]) -> Result<Globs> {
    let mut inc = GlobSetBuilder::new();
    let mut exc = GlobSetBuilder::new();
    for (g, at, f) in list {
        let (negated, pat) = split_negation(g);
        let glob = dir_glob(pat)
            .map_err(|e| at_offset(f, *at, format!("workspace glob `{g}`: {}", e.kind())))?;
        if negated {
            exc.add(glob);
        } else {
            inc.add(glob);
        }
    }
    let build = |b: GlobSetBuilder| {
        b.build()
            .map_err(|e| Error::Other(format!("workspace globs: {e}")))
    };
    Ok(Globs {
        include: build(inc)?,
        exclude: build(exc)?,
    })
}

/// A member package.json: its name (the part after `@org/` as the scope), else the directory.
fn npm_package(f: &File, dir: &str) -> Result<Package> {
    let v = json(f)?;
    match v.get("name") {
        None => Ok(by_dir(dir)),
        Some(serde_json::Value::String(n)) if !n.trim().is_empty() => Ok(Package {
            scope: unscoped(n).to_owned(),
            name: n.clone(),
        }),
        Some(other) => Err(at_offset(
            f,
            offset_of(f, "\"name\""),
            format!("`name` is {other}, not a package name"),
        )),
    }
}

/// `@org/web` → `web`.
fn unscoped(name: &str) -> &str {
    match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => name,
    }
}

fn cargo_package(f: &File, dir: &str) -> Result<Package> {
    let v = toml_value(f)?;
    Ok(
        match v
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
        {
            Some(n) => Package {
                scope: n.to_owned(),
                name: n.to_owned(),
            },
            None => by_dir(dir),
        },
    )
}

fn by_dir(dir: &str) -> Package {
    let base = file_name(dir).to_owned();
    Package {
        scope: base.clone(),
        name: base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_names_lose_their_org() {
        assert_eq!(unscoped("@acme/web"), "web");
        assert_eq!(unscoped("web"), "web");
        assert_eq!(unscoped("@acme"), "@acme");
    }

    #[test]
    fn workspaces_in_both_npm_shapes_and_bad_ones_located() {
        let f = file(
            "package.json",
            br#"{"workspaces": {"packages": ["apps/*"]}}"#.to_vec(),
        );
        assert_eq!(npm_workspaces(&f).unwrap()[0].0, "apps/*");
        let f = file("package.json", b"{\n  \"workspaces\": 3\n}".to_vec());
        let e = npm_workspaces(&f).unwrap_err().to_string();
        assert!(e.starts_with("package.json:2:3:"), "{e}");
    }
}
