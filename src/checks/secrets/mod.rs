//! `secrets`: credentials in added content — provider tokens, private keys, passwords in URLs and
//! assignments, high-entropy values next to secret-ish names — and files that should never be
//! committed (`.env`, `id_rsa`, `*.p12`, …). Rules live in `patterns/secrets.toml`; the engine
//! is in `engine.rs`; nothing here ever prints a secret whole (`redact.rs`).

pub mod assignment;
pub mod baseline;
pub mod checksum_files;
pub mod decoded;
pub mod dialect;
pub mod doc_files;
pub mod docs;
pub mod engine;
pub mod examples;
pub mod filter;
pub mod forbidden;
mod history;
mod interleaved;
mod messages;
pub mod names;
pub mod placeholder;
pub mod redact;
pub mod rules;
pub mod spec_examples;
mod streamed;
pub mod test_files;
mod unchanged_blocks;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::glob::Globs;
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use super::per_config::PerConfig;
use super::{Check, Context};
use crate::changeset::{AddedLines, ChangedFile, FileStatus, Mode, Source};
use crate::config::values::{ByteSize, SeverityConfig};
use crate::error::Result;
use crate::finding::{Field, Finding, Fnv64, Severity};
use crate::rule::{Category, RuleDoc};
use crate::text;

use baseline::Baseline;
use docs::{FORBIDDEN_FILE, SKIPPED, STALE_BASELINE, UNREADABLE};
use engine::{Engine, Hit};
use rules::RuleSpec;

const ID: &str = "secrets";
/// The inline marker that allows a line.
pub const ALLOW_MARKER: &[u8] = b"hygiene:allow";

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
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
    #[serde(serialize_with = "crate::config::values::no_entries")]
    pub rules: Vec<CustomRule>,
    /// Files larger than this are skipped with a note (default 10 MiB).
    #[serde(deserialize_with = "scan_limit")]
    pub max_file_size: ByteSize,
    /// Report `.env`, `id_rsa`, `*.p12`, … whatever they contain.
    pub forbidden_files: bool,
    /// What is reported in test sources: `precise` (provider formats only) or `all`.
    pub test_files: test_files::TestFiles,
    #[serde(skip)]
    text_engine: TextEngine,
    #[serde(skip)]
    message_engine: TextEngine,
}

impl SecretsConfig {
    /// The engine for short texts — messages, and everything a finding shows — built the first
    /// time one is judged, then shared by the check and the redaction of every finding.
    pub fn text_engine(&self) -> &Engine {
        self.text_engine.0.get_or_init(|| engine_for(self, false))
    }
    /// The engine for texts that are no file's content (a commit message, a branch name,
    /// what a finding quotes), all judged with an empty path: without the built-in rules that
    /// can report nothing there (bound to file names, or to configuration files), which a
    /// commit-msg hook would otherwise build for nothing. Their findings are the same as the
    /// text engine's, so that one serves when it is built already.
    pub fn message_engine(&self) -> &Engine {
        if let Some(e) = self.text_engine.0.get() {
            return e;
        }
        self.message_engine
            .0
            .get_or_init(|| engine_of(self, false, rules::StaticSpec::applies_to_texts))
    }
    /// The engine for texts, if one is built already.
    fn built_message_engine(&self) -> Option<&Engine> {
        self.text_engine
            .0
            .get()
            .or_else(|| self.message_engine.0.get())
    }
    /// `text` with its secrets redacted; see [`redact::redacted`] for why checks deriving text
    /// from users' text (a suggested branch name) need it.
    pub fn redacted<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        redact::redacted(self.message_engine(), text)
    }
}

/// A lazily built engine kept with the config it was built from.
#[derive(Default)]
struct TextEngine(OnceLock<Engine>);

impl Clone for TextEngine {
    /// A copied config may be changed before use: it builds its own engine.
    fn clone(&self) -> Self {
        TextEngine::default()
    }
}

impl std::fmt::Debug for TextEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "TextEngine(built)"
        } else {
            "TextEngine(not built)"
        })
    }
}

/// Redacts every secret in every text of `findings` (message, help, snippet), whichever check
/// wrote them: commit subjects, branch names and MR titles are quoted by other checks.
pub fn redact_findings(findings: &mut [Finding], cfg: &SecretsConfig) {
    if findings.is_empty() {
        return;
    }
    let engine = cfg.message_engine();
    for f in findings {
        f.redact_with(|t| redact::redact_in_place(engine, t));
    }
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
            test_files: test_files::TestFiles::Precise,
            text_engine: TextEngine::default(),
            message_engine: TextEngine::default(),
        }
    }
}

impl crate::config::Section for SecretsConfig {
    /// A nested config allows paths of its own directory; the rules stay the repository's.
    const NESTING: crate::config::layers::Nesting =
        crate::config::layers::Nesting::Keys(&[crate::config::layers::PathKey {
            key: "allow_paths",
            kind: crate::config::layers::PathKind::Globs,
        }]);
    /// Regexes compile, custom rules have keywords, disabled ids exist.
    fn validate(&self, _text: &str) -> std::result::Result<(), crate::config::Problem> {
        validate(self)
    }
}

impl crate::config::CheckConfig for SecretsConfig {
    const STARTER: &'static str = include_str!("../../../patterns/starter/secrets.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
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
fn validate(cfg: &SecretsConfig) -> std::result::Result<(), (usize, String)> {
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
        let lists = [
            ("paths", &r.paths),
            ("exclude_paths", &r.exclude_paths),
            ("allow", &r.allow),
        ];
        for (key, list) in lists {
            for p in list {
                let re = rules::compile(p.get_ref()).map_err(|e| {
                    (
                        p.span().start,
                        format!(
                            "[[secrets.rules]] `{}`: {key} `{}` does not compile: {}",
                            r.id.get_ref(),
                            p.get_ref(),
                            one_line(&e.to_string())
                        ),
                    )
                })?;
                // Excluding every path, or allowing every value, turns the rule off unsaid.
                if key != "paths" && matches_anything(&re) {
                    return Err((
                        p.span().start,
                        format!(
                            "[[secrets.rules]] `{}`: {key} `{}` matches everything (it matches the empty string), so the rule would never report; make it specific, or remove the rule",
                            r.id.get_ref(),
                            p.get_ref()
                        ),
                    ));
                }
            }
        }
    }
    for a in &cfg.allow_regexes {
        let re = rules::compile(a.get_ref()).map_err(|e| {
            (
                a.span().start,
                format!(
                    "[secrets] allow_regexes: `{}` does not compile: {}",
                    a.get_ref(),
                    one_line(&e.to_string())
                ),
            )
        })?;
        if matches_anything(&re) {
            return Err((
                a.span().start,
                format!(
                    "[secrets] allow_regexes: `{}` matches every value (it matches the empty string), so no secret would ever be reported; match only the values to allow, e.g. '^AKIAIOSFODNN7EXAMPLE$', or set `enabled = false`",
                    a.get_ref()
                ),
            ));
        }
    }
    for g in &cfg.allow_paths {
        if let Some(e) = crate::glob::problem(g.get_ref()) {
            return Err((
                g.span().start,
                format!(
                    "[secrets] allow_paths: `{}` is not a glob: {e}",
                    g.get_ref()
                ),
            ));
        }
        if crate::glob::matches_every_path(g.get_ref()) {
            return Err((
                g.span().start,
                format!(
                    "[secrets] allow_paths: `{}` matches every file, so no secret would ever be reported; list only the files to allow, e.g. \"tests/fixtures/**\", or set `enabled = false`",
                    g.get_ref()
                ),
            ));
        }
    }
    for d in &cfg.disable {
        let known = rules::builtin()
            .iter()
            .any(|s| s.id == d.get_ref().as_str());
        if !known && d.get_ref() != "forbidden-file" {
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

/// The smallest `max_file_size`: below it a `.env` or a private key would go unscanned, with
/// only a note shown under `-v`, which is the check switched off without a word.
const SMALLEST_SCAN_LIMIT: u64 = 1024;

fn scan_limit<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<ByteSize, D::Error> {
    let size = ByteSize::deserialize(d)?;
    if size.0 < SMALLEST_SCAN_LIMIT {
        return Err(serde::de::Error::custom(format!(
            "[secrets] max_file_size {} would leave nearly every file unscanned; the smallest is \"1 KiB\" (to turn the check off, set `enabled = false`)",
            text::human_bytes(size.0)
        )));
    }
    Ok(size)
}

fn matches_anything(re: &regex::bytes::Regex) -> bool {
    crate::config::values::matches_anything(|s| re.is_match(s.as_bytes()))
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
    engine_of(cfg, large, |_| true)
}

/// [`engine_for`] with only the built-in rules `wanted` keeps.
fn engine_of(
    cfg: &SecretsConfig,
    large: bool,
    wanted: impl Fn(&rules::StaticSpec) -> bool,
) -> Engine {
    let disabled: HashSet<&str> = cfg.disable.iter().map(|d| d.get_ref().as_str()).collect();
    let mut specs: Vec<RuleSpec> = rules::builtin()
        .iter()
        .filter(|s| wanted(s) && !disabled.contains(s.id))
        .map(rules::StaticSpec::to_spec)
        .collect();
    specs.extend(cfg.rules.iter().map(custom_spec));
    let allow = cfg
        .allow_regexes
        .iter()
        .filter_map(|a| rules::compile(a.get_ref()).ok())
        .collect();
    let mut engine = Engine::new(specs, allow, large);
    engine.test_files = cfg.test_files;
    engine
}

/// The engine for one text judged with an empty path (the message at commit-msg): the rules
/// that apply to texts and hold a keyword the text holds, and the custom rules. Those are the
/// only ones that can report in it — a rule runs where one of its keywords occurs, and a text
/// is scanned whole, so a file-scoped rule's keyword is looked for in all of it — so the
/// findings are the whole set's; building a handful of rules instead of all of them was most of
/// what commit-msg did.
fn message_only_engine(cfg: &SecretsConfig, text: &[u8]) -> Engine {
    let lower = text.to_ascii_lowercase();
    // Built-in keywords are lower case (a test checks), as the engine compares them.
    let holds = |k: &str| match k.as_bytes().split_first() {
        None => true,
        Some((&first, _)) => {
            memchr::memchr_iter(first, &lower).any(|at| lower[at..].starts_with(k.as_bytes()))
        }
    };
    engine_of(cfg, false, |s| {
        s.applies_to_texts() && s.keywords.iter().any(|k| holds(k))
    })
}

/// Validated when the config was read, so compiling cannot fail here.
fn allow_paths(cfg: &SecretsConfig) -> Option<Globs> {
    if cfg.allow_paths.is_empty() {
        return None;
    }
    let patterns: Vec<&str> = cfg
        .allow_paths
        .iter()
        .map(|g| g.get_ref().as_str())
        .collect();
    Globs::new(&patterns).ok()
}

pub struct Secrets;

impl Check for Secrets {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "credentials in added content and in commit messages and MR text (provider tokens, private keys, passwords), forbidden files (.env, id_rsa, *.p12)"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        docs::all()
    }
    fn applies(&self, mode: Mode) -> bool {
        mode != Mode::PrepareCommitMsg
    }
    /// At commit-msg only the message is judged: the staged content was judged by pre-commit.
    fn needs_files(&self, mode: Mode) -> bool {
        mode != Mode::CommitMsg
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        run_with(ctx, true)
    }
}

/// Runs the check; `use_baseline = false` reports baselined findings too (for `git hygiene baseline`).
pub fn run_with(ctx: &Context<'_>, use_baseline: bool) -> Result<Vec<Finding>> {
    let mut findings = if ctx.cs.mode == Mode::CommitMsg {
        let cfg = &ctx.config.secrets;
        let text = ctx.cs.message.as_ref().map_or("", |m| m.text.as_str());
        let own;
        let engine = match cfg.built_message_engine() {
            Some(e) => e,
            None => {
                own = message_only_engine(cfg, text.as_bytes());
                &own
            }
        };
        messages::scan(ctx, engine)
    } else {
        scan_change(ctx)?
    };
    if use_baseline {
        apply_baseline(ctx, &mut findings)?;
    }
    Ok(findings)
}

/// Findings in the content of the change set's files, forbidden files, and findings in the
/// messages of its commits and merge request.
fn scan_change(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    let cfg = &ctx.config.secrets;
    // A nested config allows paths of its own directory: each file asks its own config.
    let allow = PerConfig::new(ctx.config, |c| Ok(allow_paths(&c.secrets)))?;
    let mut files: Vec<&ChangedFile> = Vec::new();
    for f in ctx
        .cs
        .files
        .iter()
        .filter(|f| f.status.has_content() && !f.is_symlink)
    {
        let path = f.path.to_string_lossy();
        if allow
            .of(&path)?
            .as_ref()
            .as_ref()
            .is_none_or(|g| !g.is_match(&path))
        {
            files.push(f);
        }
    }
    let mut findings = Vec::new();
    let forbidden_on =
        cfg.forbidden_files && !cfg.disable.iter().any(|d| d.get_ref() == FORBIDDEN_FILE.id);
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
                    Finding::new(&FORBIDDEN_FILE, ctx.severity, format!("this file should not be committed: {why}"))
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
    // In path order, not the map's: read so, one directory after another, a tree scan of
    // 74,000 files took 13% less CPU in paired runs (locality of caches, it seems).
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_unstable_by_key(|&((id, path), _)| (path, id));
    work.extend(groups.into_iter().map(|(_, g)| Work::Same(g)));
    // A DFA pays for its build time only over many files or messages, or a large file; a few
    // share the text engine.
    let large_input = work.len() > 64
        || ctx.cs.commits.len() > 64
        || work.iter().any(|w| {
            w.files()
                .iter()
                .any(|f| ctx.cs.is_large(f).unwrap_or(false))
        });
    let large;
    let engine = if large_input {
        large = engine_for(cfg, true);
        &large
    } else {
        cfg.text_engine()
    };
    findings.extend(messages::scan(ctx, engine));
    // One job per item: rayon otherwise hands each thread a contiguous half up front and
    // re-splits only what another thread steals, so the half holding the longest chains ran
    // on one core for most of a history scan while the other slept.
    let per_group: Vec<Result<Vec<Finding>>> = work
        .par_iter()
        .with_max_len(1)
        .map(|w| match w {
            Work::Same(g) => {
                super::or_unreadable_note(&UNREADABLE, g[0], scan_group(ctx, engine, g))
            }
            Work::Versions(v) => history::scan_versions(ctx, engine, v),
        })
        .collect();
    for r in per_group {
        findings.extend(r?);
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
    // Read first when small enough: the size comes with the content.
    let max = ctx.config.secrets.max_file_size.0;
    let data = match ctx.cs.content_within(first, max)? {
        Some(data) => data,
        None => {
            if let Some(notes) = too_large(ctx, group, ctx.cs.size(first)?) {
                return Ok(notes);
            }
            if ctx.cs.is_large(first)? {
                return streamed::scan(ctx, engine, group);
            }
            ctx.cs.content(first)?
        }
    };
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
                &SKIPPED,
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
        .filter_map(|h| file_finding(ctx, engine, file, data, h, &spans))
        .collect()
}

/// How to fix a secret found in a file.
const FILE_FIX: &str = "remove it and rotate the credential (a pushed secret is leaked); if it is not a secret, add `hygiene:allow` in a comment on the line or run `git hygiene baseline`";

/// [`finding`] for hit `h` in `file`'s content `data`, placed at its path, line and commit.
fn file_finding(
    ctx: &Context<'_>,
    engine: &Engine,
    file: &ChangedFile,
    data: &[u8],
    h: &Hit,
    spans: &[(usize, usize)],
) -> Option<Finding> {
    finding(ctx, engine, data, h, spans, FILE_FIX, |f| {
        f.at(&file.path, Some(h.line), Some(h.column))
            .commit(file.commit.as_deref())
    })
}

/// The finding for hit `h` in `data` (a file's content or a message), placed by `locate`;
/// `fix` is the help for a reported secret. `None` when a `hygiene:allow` on its lines hides
/// it (a note with -v). The fingerprint hashes the secret, so it survives lines moving.
fn finding(
    ctx: &Context<'_>,
    engine: &Engine,
    data: &[u8],
    h: &Hit,
    spans: &[(usize, usize)],
    fix: &str,
    locate: impl FnOnce(Finding) -> Finding,
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
        (ctx.severity, rule.spec.description.clone(), fix)
    };
    let f = Finding::named(
        ID,
        rule.spec.id.clone(),
        Category::Security,
        severity,
        message,
    )
    .snippet(redact::redact_line(data, ls, le, spans))
    .help(help);
    Some(locate(f).key(key.as_bytes()))
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
    // Staleness is only knowable when every file was looked at: a tree scan. It sees no
    // messages, so entries for a commit message or MR text are never stale there.
    if ctx.verbose && ctx.cs.mode == Mode::Scan && ctx.cs.commits.is_empty() {
        for (fp, rule, path) in &base.entries {
            if !seen.contains(fp) && Field::parse(path).is_none() {
                kept.push(
                    Finding::new(
                        &STALE_BASELINE,
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

#[cfg(test)]
mod message_engine_tests {
    use super::*;

    /// Texts judged with an empty path: the engine of the rules whose keywords a text holds
    /// finds what the engine of every rule finds, on every built-in example and counter-example
    /// as a message, one at a time and all together; and it is far smaller.
    #[test]
    fn the_message_only_engine_finds_what_the_whole_set_finds() {
        let cfg = SecretsConfig::default();
        let whole = engine_for(&cfg, false);
        let spans = |e: &Engine, text: &str| -> Vec<(String, usize, usize, u32, u32)> {
            e.scan(b"", text.as_bytes())
                .iter()
                .map(|h| {
                    (
                        e.rules[h.rule].spec.id.clone(),
                        h.start,
                        h.end,
                        h.line,
                        h.column,
                    )
                })
                .collect()
        };
        let mut texts: Vec<String> = Vec::new();
        for ex in examples::builtin().values() {
            for t in ex.examples.iter().chain(&ex.counter_examples) {
                texts.push(format!("fix: rotate it\n\n{t}\n"));
            }
        }
        texts.push(texts.concat());
        let mut found = 0;
        for text in &texts {
            let small = message_only_engine(&cfg, text.as_bytes());
            let want = spans(&whole, text);
            found += want.len();
            assert_eq!(spans(&small, text), want, "{text}");
        }
        assert!(found > 100, "only {found} hits");
        let plain = message_only_engine(&cfg, b"feat(api): retry the upload\n");
        assert!(
            plain.rules.len() < whole.rules.len() / 4,
            "{}",
            plain.rules.len()
        );
    }
}
