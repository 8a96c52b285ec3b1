//! `secrets`: credentials in added content — provider tokens, private keys, passwords in URLs and
//! assignments, high-entropy values next to secret-ish names — and files that should never be
//! committed (`.env`, `id_rsa`, `*.p12`, …). Rules live in `patterns/secrets.toml`; the engine
//! is in `engine.rs`; nothing here ever prints a secret whole (`redact.rs`).

pub mod baseline;
pub mod engine;
pub mod filter;
pub mod forbidden;
mod history;
pub mod names;
pub mod redact;
pub mod rules;
mod streamed;

use std::collections::{HashMap, HashSet};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use super::{Check, Context, RuleDoc};
use crate::changeset::{AddedLines, ChangedFile, FileStatus, Mode, Source};
use crate::config::{ByteSize, SeverityConfig};
use crate::error::Result;
use crate::finding::{Finding, Fnv64, Severity};
use crate::text;

use baseline::Baseline;
use engine::{Engine, Hit};
use rules::RuleSpec;

const ID: &str = "secrets";
/// The inline marker that allows a line.
pub const ALLOW_MARKER: &[u8] = b"hygiene:allow";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecretsConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Globs of paths never scanned (test fixtures, vendored code).
    pub allow_paths: Vec<Spanned<String>>,
    /// Regexes; a secret matching one is not reported.
    pub allow_regexes: Vec<Spanned<String>>,
    /// Built-in rule ids to turn off.
    pub disable: Vec<Spanned<String>>,
    /// Custom rules, same fields as the built-ins.
    pub rules: Vec<CustomRule>,
    /// Files larger than this are skipped with a note (default 10 MiB).
    pub max_file_size: ByteSize,
    /// Report `.env`, `id_rsa`, `*.p12`, … whatever they contain.
    pub forbidden_files: bool,
}

impl Default for SecretsConfig {
    fn default() -> Self {
        SecretsConfig {
            enabled: true,
            severity: None,
            allow_paths: Vec::new(),
            allow_regexes: Vec::new(),
            disable: Vec::new(),
            rules: Vec::new(),
            max_file_size: ByteSize(10 << 20),
            forbidden_files: true,
        }
    }
}

/// A `[[secrets.rules]]` entry; spans locate mistakes in `.hygiene.toml`.
pub type CustomRule = rules::RuleSpecOf<Spanned<String>>;

/// The engine's form of a custom rule: spans dropped, keywords lower-cased, a default description.
fn custom_spec(r: &CustomRule) -> RuleSpec {
    let mut spec = r.map_text(|t| t.get_ref().clone());
    spec.keywords
        .iter_mut()
        .for_each(|k| k.make_ascii_lowercase());
    if spec.description.is_empty() {
        spec.description = format!("custom rule {}", spec.id);
    }
    spec
}

/// Checks what serde cannot: regexes compile, custom rules have keywords, disabled ids exist.
/// Returns the byte offset of the mistake in the config text and what to do.
pub fn validate(cfg: &SecretsConfig) -> std::result::Result<(), (usize, String)> {
    for r in &cfg.rules {
        let regex = r.regex.get_ref();
        let re = rules::compile(regex).map_err(|e| {
            (
                r.regex.span().start,
                format!(
                    "[[secrets.rules]] `{}`: the regex does not compile: {}",
                    r.id.get_ref(),
                    one_line(&e.to_string())
                ),
            )
        })?;
        if r.keywords.iter().all(|k| k.trim().is_empty()) {
            return Err((r.id.span().start, format!("[[secrets.rules]] `{}` has no keywords: add `keywords = [\"…\"]`, literals of which one occurs in every match (the prefilter needs them)", r.id.get_ref())));
        }
        if r.max_len.is_some_and(|n| n == 0 || n > rules::MAX_MAX_LEN) {
            return Err((
                r.id.span().start,
                format!(
                    "[[secrets.rules]] `{}`: max_len must be the longest match in bytes, from 1 to {}",
                    r.id.get_ref(),
                    rules::MAX_MAX_LEN
                ),
            ));
        }
        if let Some(g) = r.secret_group {
            if g >= re.captures_len() {
                return Err((
                    r.regex.span().start,
                    format!(
                        "[[secrets.rules]] `{}`: secret_group {g} but the regex has {} group(s)",
                        r.id.get_ref(),
                        re.captures_len() - 1
                    ),
                ));
            }
        }
        for p in r.paths.iter().chain(&r.exclude_paths).chain(&r.allow) {
            rules::compile(p).map_err(|e| {
                (
                    r.id.span().start,
                    format!(
                        "[[secrets.rules]] `{}`: `{p}` does not compile: {}",
                        r.id.get_ref(),
                        one_line(&e.to_string())
                    ),
                )
            })?;
        }
    }
    for a in &cfg.allow_regexes {
        rules::compile(a.get_ref()).map_err(|e| {
            (
                a.span().start,
                format!(
                    "[secrets] allow_regexes: `{}` does not compile: {}",
                    a.get_ref(),
                    one_line(&e.to_string())
                ),
            )
        })?;
    }
    for g in &cfg.allow_paths {
        Glob::new(g.get_ref()).map_err(|e| {
            (
                g.span().start,
                format!(
                    "[secrets] allow_paths: `{}` is not a glob: {e}",
                    g.get_ref()
                ),
            )
        })?;
    }
    let known: HashSet<&str> = rules::builtin_specs()
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    for d in &cfg.disable {
        if !known.contains(d.get_ref().as_str()) && d.get_ref() != "forbidden-file" {
            return Err((
                d.span().start,
                format!(
                    "[secrets] disable: no built-in rule `{}`; `git hygiene rules` lists them",
                    d.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The engine for this config: built-in rules minus `disable`, plus custom rules.
/// `large`: see [`Engine::new`].
pub fn engine_for(cfg: &SecretsConfig, large: bool) -> Engine {
    let disabled: HashSet<&str> = cfg.disable.iter().map(|d| d.get_ref().as_str()).collect();
    let mut specs: Vec<RuleSpec> = rules::builtin_specs()
        .iter()
        .filter(|s| !disabled.contains(s.id.as_str()))
        .cloned()
        .collect();
    specs.extend(cfg.rules.iter().map(custom_spec));
    let allow = cfg
        .allow_regexes
        .iter()
        .filter_map(|a| rules::compile(a.get_ref()).ok())
        .collect();
    Engine::new(specs, allow, large)
}

fn allow_paths(cfg: &SecretsConfig) -> Option<GlobSet> {
    if cfg.allow_paths.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for g in &cfg.allow_paths {
        if let Ok(g) = Glob::new(g.get_ref()) {
            b.add(g);
        }
    }
    b.build().ok()
}

pub struct Secrets;

impl Check for Secrets {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "credentials in added content (provider tokens, private keys, passwords), forbidden files (.env, id_rsa, *.p12)"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        let mut out: Vec<RuleDoc> = rules::builtin_specs()
            .iter()
            .map(|s| {
                let context = match s.context {
                    rules::Context::Literal => "\n\nSkipped: values that are code rather than literals (calls, camelCase \
                         identifiers, hex constants, dotted paths), public keys, base64 of plain text, and names that are \
                         not a secret's: lookup keys (`first_key`, `cacheKey`), public keys, words that only end like a \
                         keyword (`task`, `netmask`).",
                    rules::Context::UrlPassword => "\n\nSkipped: URLs to hosts reserved for documentation \
                         (`example.com`, `*.test`, `*.invalid`), placeholder passwords in capitals, and a local service \
                         whose password is its user name (`postgres:postgres@localhost`).",
                    rules::Context::None => "",
                };
                let excluded = if s.exclude_paths.is_empty() {
                    String::new()
                } else {
                    format!("\n\nNot searched in paths matching:\n    {}", s.exclude_paths.join("\n    "))
                };
                RuleDoc::new(
                    &s.id,
                    &s.description,
                    &format!(
                        "Reports a {} in added lines.{context}{excluded}\n\nWhy: a credential in git history is readable by everyone who can clone the \
                         repository, forever — removing it in a later commit does not help. Treat it as leaked.\n\nPattern:\n    {}\n\n\
                         Fix: remove it, rotate the credential at the provider, and load it from the environment or a secret store.\n\
                         If it is not a secret (a test fixture, a public key), put `hygiene:allow` in a comment on the line, add the \
                         path to [secrets] allow_paths, or record it with `git hygiene baseline`. Turn the rule off with\n    [secrets]\n    disable = [\"{}\"]",
                        s.description, s.regex, s.id
                    ),
                )
            })
            .collect();
        out.push(RuleDoc::new(
            "forbidden-file",
            "a file that should never be committed (.env, id_rsa, *.p12, *.keystore, cloud SDK credentials)",
            "Reports new files whose name says they hold credentials: `.env` and `.env.*` (but not `.env.example`, \
             `.env.sample`, `.env.template`), SSH private keys (`id_rsa`, `id_ed25519`), PKCS#12 bundles (`*.p12`, `*.pfx`), \
             Java key stores (`*.keystore`, `*.jks`), `.git-credentials`, AWS/GCP/Azure CLI credential files, and \
             `credentials.json` holding a private key or client secret.\n\nWhy: these files exist to hold secrets; once \
             committed they are in every clone.\n\nFix: `git rm --cached FILE`, add it to .gitignore, and commit a template \
             (`.env.example`) instead. Allow a deliberate fixture with [secrets] allow_paths.",
        ));
        out
    }
    fn applies(&self, mode: Mode) -> bool {
        !matches!(mode, Mode::CommitMsg | Mode::PrepareCommitMsg)
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        run_with(ctx, true)
    }
}

/// Runs the check; `use_baseline = false` reports baselined findings too (for `git hygiene baseline`).
pub fn run_with(ctx: &Context<'_>, use_baseline: bool) -> Result<Vec<Finding>> {
    let cfg = &ctx.config.secrets;
    let allowed_paths = allow_paths(cfg);
    let files: Vec<&ChangedFile> = ctx
        .cs
        .files
        .iter()
        .filter(|f| f.status.has_content() && !f.is_symlink)
        .filter(|f| {
            allowed_paths
                .as_ref()
                .is_none_or(|g| !g.is_match(f.path.to_string_lossy()))
        })
        .collect();
    let mut findings = Vec::new();
    let forbidden_on =
        cfg.forbidden_files && !cfg.disable.iter().any(|d| d.get_ref() == "forbidden-file");
    if forbidden_on {
        for f in &files {
            if !matches!(
                f.status,
                FileStatus::Added
                    | FileStatus::Renamed
                    | FileStatus::Copied
                    | FileStatus::TypeChanged
            ) {
                continue;
            }
            let content = if forbidden::needs_content(f.path.as_bytes()) {
                // Unreadable here means unreadable for the scan below too, which notes it.
                ctx.cs.content(f).ok().map(|c| c.into_owned())
            } else {
                None
            };
            if let Some(why) = forbidden::reason(f.path.as_bytes(), content.as_deref()) {
                findings.push(
                    Finding::new(ID, "forbidden-file", ctx.severity, format!("this file should not be committed: {why}"))
                        .at(&f.path, None, None)
                        .commit(f.commit.as_deref())
                        .help("`git rm --cached` it, add it to .gitignore, and commit a template with placeholders instead")
                        .key(b""),
                );
            }
        }
    }
    // Each distinct content is read and scanned once, however many commits hold it. Versions
    // whose added lines are not known yet (history ranges) are scanned per path instead.
    let mut groups: HashMap<(&[u8], &[u8]), Vec<&ChangedFile>> = HashMap::new();
    let mut versions: HashMap<&[u8], Vec<&ChangedFile>> = HashMap::new();
    for f in files.iter().filter(|f| !f.added.is_known_empty()) {
        match (&f.source, f.added.get()) {
            (Source::Blob(_), None) if f.old_blob.is_some() => {
                versions.entry(f.path.as_bytes()).or_default().push(f)
            }
            (Source::Blob(id), _) => groups
                .entry((id.as_bytes(), f.path.as_bytes()))
                .or_default()
                .push(f),
            _ => groups.entry((b"", f.path.as_bytes())).or_default().push(f),
        }
    }
    // A path's chain of versions is cut into pieces that can run side by side (each piece
    // reads one old blob more), longest first, so that no busy path finishes alone at the end.
    let mut work: Vec<Work<'_>> = versions
        .into_values()
        .flat_map(|v| {
            v.chunks(history::CHAIN_PIECE)
                .map(|c| Work::Versions(c.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect();
    work.sort_by_key(|w| std::cmp::Reverse(w.files().len()));
    work.extend(groups.into_values().map(Work::Same));
    // A DFA pays for its build time only over many files, or a large one.
    let large = work.len() > 64
        || work.iter().any(|w| {
            w.files()
                .iter()
                .any(|f| ctx.cs.is_large(f).unwrap_or(false))
        });
    let engine = engine_for(cfg, large);
    let per_group: Vec<Result<Vec<Finding>>> = work
        .par_iter()
        .map(|w| match w {
            Work::Same(g) => super::or_unreadable_note(ID, g[0], scan_group(ctx, &engine, g)),
            Work::Versions(v) => history::scan_versions(ctx, &engine, v),
        })
        .collect();
    for r in per_group {
        findings.extend(r?);
    }
    if use_baseline {
        apply_baseline(ctx, &mut findings)?;
    }
    Ok(findings)
}

enum Work<'a> {
    /// Files with the same path and content (in several commits): read and scanned once.
    Same(Vec<&'a ChangedFile>),
    /// Successive versions of one path, oldest first, each to compare with its old blob.
    Versions(Vec<&'a ChangedFile>),
}

impl<'a> Work<'a> {
    fn files(&self) -> &[&'a ChangedFile] {
        match self {
            Work::Same(f) | Work::Versions(f) => f,
        }
    }
}

fn scan_group(ctx: &Context<'_>, engine: &Engine, group: &[&ChangedFile]) -> Result<Vec<Finding>> {
    let first = group[0];
    if let Some(notes) = too_large(ctx, group, ctx.cs.size(first)?) {
        return Ok(notes);
    }
    if ctx.cs.is_large(first)? {
        return streamed::scan(ctx, engine, group);
    }
    let data = ctx.cs.content(first)?;
    if text::is_binary(&data) {
        return Ok(binary_notes(ctx, group));
    }
    let hits = engine.scan(first.path.as_bytes(), &data);
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for f in group {
        let added = ctx.cs.added(f, Some(&data))?;
        out.extend(findings_in_added(ctx, engine, f, &data, &hits, added));
    }
    Ok(out)
}

/// Notes for files of `size` over `max_file_size` (they are not read), or `None` to scan them.
fn too_large(ctx: &Context<'_>, files: &[&ChangedFile], size: u64) -> Option<Vec<Finding>> {
    let max = ctx.config.secrets.max_file_size.0;
    if size <= max {
        return None;
    }
    let why = format!(
        "{} is over [secrets] max_file_size ({})",
        text::human_bytes(size),
        text::human_bytes(max)
    );
    let help = "raise [secrets] max_file_size to scan it";
    Some(skipped(files, &why, Some(help), b"large"))
}

/// Binary files are not scanned; said only with `-v`.
fn binary_notes(ctx: &Context<'_>, files: &[&ChangedFile]) -> Vec<Finding> {
    if !ctx.verbose {
        return Vec::new();
    }
    skipped(files, "binary file", None, b"binary")
}

/// One "not scanned" note per file.
fn skipped(files: &[&ChangedFile], why: &str, help: Option<&str>, key: &[u8]) -> Vec<Finding> {
    files
        .iter()
        .map(|f| {
            let note = Finding::new(
                ID,
                "skipped",
                Severity::Info,
                format!("not scanned for secrets: {why}"),
            )
            .at(&f.path, None, None)
            .commit(f.commit.as_deref())
            .key(key);
            match help {
                Some(h) => note.help(h),
                None => note,
            }
        })
        .collect()
}

/// Findings for the `hits` in `data` that touch a line `file` adds.
fn findings_in_added(
    ctx: &Context<'_>,
    engine: &Engine,
    file: &ChangedFile,
    data: &[u8],
    hits: &[Hit],
    added: &AddedLines,
) -> Vec<Finding> {
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    hits.iter()
        .filter(|h| (h.line..=h.end_line).any(|l| added.contains(l)))
        .filter_map(|h| finding(ctx, engine, file, data, h, &spans))
        .collect()
}

fn finding(
    ctx: &Context<'_>,
    engine: &Engine,
    file: &ChangedFile,
    data: &[u8],
    h: &Hit,
    spans: &[(usize, usize)],
) -> Option<Finding> {
    let rule = &engine.rules[h.rule];
    let (ls, le) = engine::line_bounds(data, h.start, h.start);
    let allowed = memchr::memmem::find(&data[ls..le], ALLOW_MARKER).is_some()
        || (h.end_line > h.line && {
            let (_, end) =
                engine::line_bounds(data, h.end.saturating_sub(1), h.end.saturating_sub(1));
            memchr::memmem::find(&data[ls..end], ALLOW_MARKER).is_some()
        });
    if allowed && !ctx.verbose {
        return None;
    }
    let mut hasher = Fnv64::new();
    hasher.write(&data[h.start..h.end]);
    let key = format!("{:016x}", hasher.finish());
    let (severity, message, help) = if allowed {
        (
            Severity::Info,
            format!("allowed by hygiene:allow: {}", rule.spec.description),
            "remove the `hygiene:allow` comment to report it again",
        )
    } else {
        (ctx.severity, rule.spec.description.clone(), "remove it and rotate the credential (a pushed secret is leaked); if it is not a secret, add `hygiene:allow` in a comment on the line or run `git hygiene baseline`")
    };
    Some(
        Finding::new(ID, rule.spec.id.clone(), severity, message)
            .at(&file.path, Some(h.line), Some(h.column))
            .commit(file.commit.as_deref())
            .snippet(redact::redact_line(data, ls, le, spans))
            .help(help)
            .key(key.as_bytes()),
    )
}

/// Drops baselined findings (notes with -v) and, on a whole-tree scan, notes stale entries.
fn apply_baseline(ctx: &Context<'_>, findings: &mut Vec<Finding>) -> Result<()> {
    let Some(base) = Baseline::load(&ctx.cs.root)? else {
        return Ok(());
    };
    let mut seen = HashSet::new();
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        if f.severity != Severity::Info && base.fingerprints.contains(&f.fingerprint) {
            seen.insert(f.fingerprint.clone());
            if ctx.verbose {
                let mut note = f;
                note.severity = Severity::Info;
                note.message = format!("baselined: {}", note.message);
                kept.push(note);
            }
            continue;
        }
        kept.push(f);
    }
    // Staleness is only knowable when every file was looked at: a tree scan.
    if ctx.verbose && ctx.cs.mode == Mode::Scan && ctx.cs.commits.is_empty() {
        for (fp, rule, path) in &base.entries {
            if !seen.contains(fp) {
                kept.push(
                    Finding::new(
                        ID,
                        "stale-baseline",
                        Severity::Info,
                        format!(
                            "baseline entry {fp} ({rule} in {path}) no longer matches a finding"
                        ),
                    )
                    .help("regenerate the baseline with `git hygiene baseline`")
                    .key(fp.as_bytes()),
                );
            }
        }
    }
    *findings = kept;
    Ok(())
}
