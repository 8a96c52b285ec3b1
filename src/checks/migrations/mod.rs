//! `migrations`: database migrations reach production reviewed, are never edited once applied,
//! stay in order, and drop or rewrite data only with an explicit approval.
//!
//! When each rule runs: the review marker at commit-msg (the message may carry the trailer, and
//! pre-commit has no message yet), at pre-push and in ci; append-only, order and destructive SQL
//! at pre-commit, pre-push and in ci; a directory scan checks only what needs no base (duplicate
//! versions, Alembic heads, golang-migrate pairs).

pub mod code_lexer;
pub mod destructive;
pub mod dirs;
mod finders;
pub mod hit;
pub mod layout;
pub mod locks;
pub mod order;
pub mod review;
pub mod rules;
pub mod schema;
pub mod sql_lexer;
pub mod statement;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Deserialize;

use super::snapshot::Snapshot;
use super::{Check, Context};
use crate::changeset::{ChangedFile, FileStatus, Mode};
use crate::config::values::{Level, SeverityConfig};
use crate::content::WHOLE_READ_MAX;
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::path::RepoPath;
use crate::rule::{self, RuleDoc};
use crate::text;

use code_lexer::Lang;
use destructive::Kind;
use finders::Finders;
use layout::{Framework, Migration};
use locks::Dialect;
use order::{Issue, Known};
use rules::{
    ALEMBIC_HEADS, APPLIED_EDITED, DUPLICATE_VERSION, OUT_OF_ORDER, REVIEW_LOST_ON_SQUASH,
    REVIEW_MISSING, RULES, UNPAIRED, UNPARSEABLE,
};

const ID: &str = "migrations";

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MigrationsConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Recognise the built-in layouts (Prisma, Alembic, Rails, Django, Flyway, golang-migrate, …).
    pub builtin_layouts: bool,
    /// More migration files (globs), e.g. `["db/sql/*.sql"]`.
    #[serde(deserialize_with = "crate::checks::globs::checked")]
    pub paths: Vec<String>,
    /// Migration directories with their framework (`[[migrations.dirs]]`), one series each.
    pub dirs: Vec<dirs::MigrationDir>,
    /// Files the layouts would match that are not migrations.
    #[serde(deserialize_with = "crate::checks::globs::checked_exceptions")]
    pub exclude: Vec<String>,
    /// Applied migrations that may still be edited, renamed or deleted (globs).
    #[serde(deserialize_with = "crate::checks::globs::checked_exceptions")]
    pub allow_edit: Vec<String>,
    /// Require a review marker on new migrations.
    pub review: bool,
    /// Who may review (emails or `Name <email>`); empty: anyone.
    pub reviewers: Vec<String>,
    /// How many lines at the top of a migration may hold `reviewed-by:`.
    pub header_lines: usize,
    /// Destructive statements need `hygiene: destructive-approved`.
    pub destructive: bool,
    /// Warn on Postgres operations that take long locks.
    pub locking: bool,
    /// New migrations sort after the base's; Alembic single head; golang-migrate pairs.
    pub order: bool,
}

impl Default for MigrationsConfig {
    fn default() -> Self {
        MigrationsConfig {
            enabled: true,
            severity: None,
            builtin_layouts: true,
            paths: Vec::new(),
            dirs: Vec::new(),
            exclude: Vec::new(),
            allow_edit: Vec::new(),
            review: true,
            reviewers: Vec::new(),
            header_lines: 20,
            destructive: true,
            locking: true,
            order: true,
        }
    }
}

/// A nested config adds migration paths and directories for its own directory.
impl crate::config::Section for MigrationsConfig {
    const NESTING: crate::config::layers::Nesting = crate::config::layers::Nesting::Keys(&[
        crate::config::layers::PathKey {
            key: "paths",
            kind: crate::config::layers::PathKind::Globs,
        },
        crate::config::layers::PathKey {
            key: "exclude",
            kind: crate::config::layers::PathKind::Globs,
        },
        crate::config::layers::PathKey {
            key: "allow_edit",
            kind: crate::config::layers::PathKind::Globs,
        },
        crate::config::layers::PathKey {
            key: "dirs",
            kind: crate::config::layers::PathKind::EntryDirs,
        },
    ]);
    fn validate(&self, _text: &str) -> std::result::Result<(), crate::config::Problem> {
        for d in &self.dirs {
            d.repo_path().map_err(|e| (d.offset(), e))?;
        }
        Ok(())
    }
    /// A configured directory must be one of the work tree: a typo would judge nothing.
    fn validate_work_tree(
        &self,
        root: &std::path::Path,
    ) -> std::result::Result<(), crate::config::Problem> {
        for d in &self.dirs {
            let path = d.repo_path().map_err(|e| (d.offset(), e))?;
            if !root.join(&path).is_dir() {
                return Err((
                    d.offset(),
                    format!("[[migrations.dirs]] path `{path}` is not a directory of the repository, so its migrations would never be judged; fix the path or remove the entry"),
                ));
            }
        }
        Ok(())
    }
}

impl crate::config::CheckConfig for MigrationsConfig {
    const STARTER: &'static str = include_str!("../../../patterns/starter/migrations.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

pub struct Migrations;

impl Check for Migrations {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "migrations are reviewed, append-only, in order, and destructive SQL is approved"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        mode != Mode::PrepareCommitMsg
    }
    fn default_level(&self, mode: Mode) -> Level {
        match mode {
            Mode::PrePush | Mode::PreReceive | Mode::Ci => Level::Error,
            _ => Level::Warn,
        }
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        run(ctx)
    }
}

/// Severity of the rules that block at every moment unless the config says otherwise: the
/// check's default level (warn at commit) exists for the review marker only.
fn blocking(ctx: &Context<'_>) -> Severity {
    let configured = ctx
        .config
        .migrations
        .severity
        .as_ref()
        .and_then(|s| s.for_mode(ctx.cs.mode));
    match configured {
        Some(_) => ctx.severity,
        None => Severity::Error,
    }
}

/// A changed migration: its newest change and its classification.
struct Changed<'a> {
    file: &'a ChangedFile,
    path: String,
    m: Migration,
}

fn path_str(p: &RepoPath) -> Option<String> {
    path_of(p).map(str::to_owned)
}

/// `p` as text, borrowed: a scan classifies every path of the tree, and copies only migrations.
fn path_of(p: &RepoPath) -> Option<&str> {
    std::str::from_utf8(p.as_bytes()).ok()
}

fn run(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    let cfg = &ctx.config.migrations;
    let cs = ctx.cs;
    let finder = Finders::new(ctx.config)?;
    let touched = cs.files.iter().any(|f| {
        path_of(&f.path).is_some_and(|p| finder.classify(p).is_some())
            || f.old_path
                .as_ref()
                .and_then(path_of)
                .is_some_and(|p| finder.classify(p).is_some())
    });
    if !touched {
        return Ok(Vec::new());
    }
    let snap = Snapshot::new(cs);
    let base: HashSet<RepoPath> = cs.base_paths()?.into_iter().collect();
    let changed: Vec<Changed> = snap
        .changed()
        .into_iter()
        .filter_map(|f| {
            let path = path_of(&f.path)?;
            let m = finder.classify(path)?;
            Some(Changed {
                file: f,
                path: path.to_owned(),
                m,
            })
        })
        .collect();
    let mode = cs.mode;
    let mut out = Vec::new();
    if mode != Mode::CommitMsg && !mode.is_whole_tree() {
        let applied = cs.applied_paths()?;
        out.extend(append_only(ctx, &finder, &snap, &applied)?);
    }
    if cfg.review
        && matches!(
            mode,
            Mode::CommitMsg | Mode::PrePush | Mode::PreReceive | Mode::Ci
        )
    {
        out.extend(review_markers(ctx, &finder, &changed, &base)?);
    }
    if (cfg.destructive || cfg.locking) && mode != Mode::CommitMsg && !mode.is_whole_tree() {
        for c in &changed {
            out.extend(destructive_sql(ctx, &finder, &snap, c)?);
        }
    }
    if cfg.order && mode != Mode::CommitMsg {
        out.extend(ordering(ctx, &finder, &snap, &base, &changed)?);
    }
    Ok(out)
}

/// Editing, renaming or deleting a migration that is applied: published (`applied`, the
/// upstream at commit time), not merely in a local commit — rewriting one's own unpushed
/// migration is how Prisma's `migrate dev` works.
fn append_only(
    ctx: &Context<'_>,
    finder: &Finders<'_>,
    snap: &Snapshot<'_>,
    applied: &HashSet<RepoPath>,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for f in &ctx.cs.files {
        let (subject, what) = match f.status {
            FileStatus::Modified | FileStatus::TypeChanged => (&f.path, "edited"),
            FileStatus::Deleted => (&f.path, "deleted"),
            FileStatus::Renamed => match &f.old_path {
                Some(old) => (old, "renamed"),
                None => continue,
            },
            _ => continue,
        };
        if !applied.contains(subject) {
            continue;
        }
        let Some(p) = path_str(subject) else {
            continue;
        };
        let Some(m) = finder.classify(&p) else {
            continue;
        };
        if m.repeatable || finder.allows_edit(&p) || !seen.insert((p.clone(), what)) {
            continue;
        }
        // An edit the range later reverted leaves the applied migration as it was.
        if what == "edited" && snap.read(&f.path)? == ctx.cs.applied_file(&f.path)? {
            continue;
        }
        let msg = match what {
            "renamed" => format!(
                "applied {} migration `{p}` renamed to `{}`",
                m.framework.name(),
                f.path.display()
            ),
            _ => format!("applied {} migration `{p}` {what}", m.framework.name()),
        };
        let line = match ctx.cs.added(f, None)? {
            crate::changeset::AddedLines::Ranges(r) => r.first().map(|x| x.0),
            _ => None,
        };
        out.push(
            Finding::new(&APPLIED_EDITED, blocking(ctx), msg)
                .at(&f.path, line.filter(|_| what == "edited"), None)
                .commit(f.commit.as_deref())
                .help(format!(
                    "databases that already ran it will never see the change: restore it and write a new migration; if it was never deployed, allow it with [migrations] allow_edit = [\"{p}\"]"
                ))
                .key(format!("{what}\0{p}").as_bytes()),
        );
    }
    Ok(out)
}

/// New migrations carry `reviewed-by:` or the change carries a `Migration-Reviewed-By:` trailer.
fn review_markers(
    ctx: &Context<'_>,
    finder: &Finders<'_>,
    changed: &[Changed<'_>],
    base: &HashSet<RepoPath>,
) -> Result<Vec<Finding>> {
    let cfg = &ctx.config.migrations;
    let cs = ctx.cs;
    let mut messages: Vec<&str> = Vec::new();
    if let Some(m) = &cs.message {
        messages.push(&m.text);
    }
    messages.extend(cs.commits.iter().map(|c| c.message.as_str()));
    let mut trailers: Vec<review::Reviewer> = messages
        .iter()
        .flat_map(|m| review::in_message(m))
        .collect();
    if let Some(mr) = &cs.merge_request {
        trailers.extend(review::in_merge_request(mr));
    }
    // Squashed on merge, only the title's line reaches the target branch's own pipeline.
    let squashed =
        crate::checks::squash::squashes(ctx.config.commit_msg.squash, cs.merge_request.as_ref());
    let title = cs
        .merge_request
        .as_ref()
        .map(|mr| review::in_message(&mr.title))
        .unwrap_or_default();
    let mut out = Vec::new();
    for c in changed {
        if !c.file.status.has_content() || base.contains(&c.file.path) || c.m.is_down {
            continue;
        }
        // A `[[migrations.dirs]]` entry may name its own reviewers.
        let reviewers = &finder.reviewers(&c.path, &cfg.reviewers)[..];
        let trailer_ok = trailers.iter().any(|r| r.allowed(reviewers));
        let title_ok = title.iter().any(|r| r.allowed(reviewers));
        if trailer_ok && (!squashed || title_ok) {
            continue;
        }
        // The marker is in the first lines: a file too large to read whole is read at its head.
        let data = cs.head(c.file)?;
        let src = String::from_utf8_lossy(&data);
        let markers = review::in_file(&src, cfg.header_lines);
        if markers.iter().any(|r| r.allowed(reviewers)) {
            continue;
        }
        if trailer_ok {
            out.push(
                Finding::new(
                    &REVIEW_LOST_ON_SQUASH,
                    Severity::Warn.min(ctx.severity),
                    format!(
                        "new {} migration: its review marker is only in the MR description or the branch's commits, which the squash merge drops; the target branch's pipeline will report it unreviewed",
                        c.m.framework.name()
                    ),
                )
                .at(&c.file.path, None, None)
                .commit(c.file.commit.as_deref())
                .help(format!(
                    "put `{} reviewed-by: Name <email>` in its first {} lines, which the squash keeps, or make the project's squash commit template include %{{description}}",
                    comment_leader(c.path.as_bytes()),
                    cfg.header_lines
                ))
                .key(b""),
            );
            continue;
        }
        let stranger = markers.first().or(trailers.first());
        let msg = match stranger {
            Some(r) => format!(
                "new {} migration reviewed by {}, who is not in [migrations] reviewers",
                c.m.framework.name(),
                r.shown()
            ),
            None => format!(
                "new {} migration has no review marker",
                c.m.framework.name()
            ),
        };
        let leader = comment_leader(c.path.as_bytes());
        out.push(
            Finding::new(&REVIEW_MISSING, ctx.severity, msg)
                .at(&c.file.path, None, None)
                .commit(c.file.commit.as_deref())
                .help(format!(
                    "after review, add `{leader} reviewed-by: Name <email>` in its first {} lines, or the trailer `Migration-Reviewed-By: Name <email>` to the commit message{}",
                    cfg.header_lines,
                    if cs.mode == Mode::Ci { " or the MR description" } else { "" }
                ))
                .key(b""),
        );
    }
    Ok(out)
}

/// How a comment starts in a migration at `path`: `--` in SQL, `//` in JS/TS, `#` elsewhere.
fn comment_leader(path: &[u8]) -> &'static str {
    match Lang::of(path) {
        Some(Lang::Js) => "//",
        Some(_) => "#",
        None => "--",
    }
}

fn destructive_sql(
    ctx: &Context<'_>,
    finder: &Finders<'_>,
    snap: &Snapshot<'_>,
    c: &Changed<'_>,
) -> Result<Vec<Finding>> {
    let cfg = &ctx.config.migrations;
    let f = c.file;
    if !f.status.has_content() || f.is_symlink || c.m.is_down || f.added.is_known_empty() {
        return Ok(Vec::new());
    }
    if ctx.cs.is_large(f)? {
        return Ok(vec![Finding::new(
            &UNPARSEABLE,
            Severity::Warn,
            format!(
                "{} is too large to read whole ({}, at most {}); destructive statements were not checked",
                f.path.display(),
                text::human_bytes(ctx.cs.size(f)?),
                text::human_bytes(WHOLE_READ_MAX)
            ),
        )
        .at(&f.path, None, None)
        .commit(f.commit.as_deref())
        .help("review the file by hand, or split it into smaller migrations")
        .key(b"too-large")]);
    }
    let data = ctx.cs.content(f)?;
    if text::is_binary(&data) {
        return Ok(Vec::new());
    }
    let src = String::from_utf8_lossy(&data);
    let dialect = dialect_of(snap, c)?;
    let analysed = match Lang::of(c.path.as_bytes()) {
        Some(lang) => destructive::analyse_code(&src, lang, dialect),
        None if c.path.ends_with(".sql") => {
            match destructive::analyse_sql(&src, dialect, None) {
                // A type change or SET NOT NULL the earlier migrations may prove harmless.
                Ok(a) if a.wants_history => {
                    let history = earlier_sql(finder, snap, c)?;
                    let schema = destructive::learn_sql(history.iter().map(String::as_str));
                    destructive::analyse_sql(&src, dialect, Some(&schema))
                }
                other => other,
            }
        }
        None => return Ok(Vec::new()),
    };
    let a = match analysed {
        Ok(a) => a,
        Err(e) => {
            return Ok(vec![Finding::new(
                &UNPARSEABLE,
                Severity::Warn,
                format!(
                    "cannot read {} as {}: {e}; destructive statements were not checked",
                    f.path.display(),
                    lang_name(&c.path)
                ),
            )
            .at(&f.path, Some(e.line), None)
            .commit(f.commit.as_deref())
            .help("fix the syntax, or review the file by hand")
            .key(e.what.as_bytes())]);
        }
    };
    let mut a = a;
    // Prisma sends a migration.sql as one query: Postgres runs it as one implicit transaction.
    if c.m.framework == Framework::Prisma && a.statements > 1 {
        let lines = std::mem::take(&mut a.concurrently);
        a.hits.extend(
            lines
                .into_iter()
                .map(|l| locks::concurrently_hit(l, "in a Prisma migration with other statements")),
        );
    }
    let added = ctx.cs.added(f, Some(&data))?;
    let leader = if c.path.ends_with(".sql") {
        "--"
    } else if Lang::of(c.path.as_bytes()) == Some(Lang::Js) {
        "//"
    } else {
        "#"
    };
    let mut out = Vec::new();
    for h in a.hits.iter().filter(|h| added.contains(h.line)) {
        let found = if h.does.is_empty() {
            h.what.clone()
        } else {
            format!("{}: {}", h.what, h.does)
        };
        match h.kind {
            Kind::Destructive if cfg.destructive => {
                let prefix = if h.rule.id == rules::DESTRUCTIVE.id {
                    "destructive statement: "
                } else {
                    ""
                };
                let finding = if a.approved {
                    // A note, like secrets' allowed lines: listed only with -v, so the
                    // terminal (which shows notes only then) and every report agree.
                    if !ctx.verbose {
                        continue;
                    }
                    Finding::new(
                        h.rule,
                        Severity::Info,
                        format!("approved by `{}`: {prefix}{found}", destructive::APPROVAL),
                    )
                    .help("remove the approval comment to report it again")
                } else {
                    let mut help = format!("make sure nothing still reads it and the data is not needed (or is backed up), then add the comment `{leader} {}` to the migration", destructive::APPROVAL);
                    if !h.advice.is_empty() {
                        help = format!("{}; {help}", h.advice);
                    }
                    Finding::new(h.rule, blocking(ctx), format!("{prefix}{found}")).help(help)
                };
                out.push(
                    finding
                        .at(&f.path, Some(h.line), None)
                        .commit(f.commit.as_deref())
                        .key(h.what.as_bytes()),
                );
            }
            Kind::Locking if cfg.locking => out.push(
                Finding::new(h.rule, Severity::Warn, found)
                    .at(&f.path, Some(h.line), None)
                    .commit(f.commit.as_deref())
                    .help(h.advice.clone())
                    .key(h.what.as_bytes()),
            ),
            _ => {}
        }
    }
    Ok(out)
}

/// Postgres unless the migration folder says otherwise: Prisma's migration_lock.toml names
/// the provider. Other layouts carry no dialect; `[migrations] locking = false` turns the
/// Postgres rules off for them, and backtick-quoted SQL is never taken as Postgres.
fn dialect_of(snap: &Snapshot<'_>, c: &Changed<'_>) -> Result<Dialect> {
    if let Some(d) = c.m.dialect {
        return Ok(d);
    }
    if c.m.framework != Framework::Prisma {
        return Ok(Dialect::Postgres);
    }
    let lock = RepoPath::from(format!("{}/migration_lock.toml", c.m.series).as_str());
    let Some(data) = snap.read(&lock)? else {
        return Ok(Dialect::Postgres);
    };
    Ok(match prisma_provider(&String::from_utf8_lossy(&data)) {
        Some(p) if p != "postgresql" && p != "postgres" => Dialect::Other,
        _ => Dialect::Postgres,
    })
}

/// `provider = "postgresql"` of a migration_lock.toml.
fn prisma_provider(toml_text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Lock {
        provider: Option<String>,
    }
    toml::from_str::<Lock>(toml_text).ok()?.provider
}

/// The SQL of the migrations of `c`'s folder that sort before it, oldest first.
fn earlier_sql(finder: &Finders<'_>, snap: &Snapshot<'_>, c: &Changed<'_>) -> Result<Vec<String>> {
    let mut earlier: Vec<(Option<Vec<u128>>, RepoPath)> = Vec::new();
    for p in snap.paths()? {
        let Some(s) = path_str(&p) else {
            continue;
        };
        let Some(m) = finder.classify(&s) else {
            continue;
        };
        if m.series == c.m.series && !m.is_down && s.ends_with(".sql") && m.version < c.m.version {
            earlier.push((m.version, p));
        }
    }
    earlier.sort();
    let mut out = Vec::new();
    for (_, p) in earlier {
        if let Some(data) = snap.read(&p)? {
            if !text::is_binary(&data) {
                out.push(String::from_utf8_lossy(&data).into_owned());
            }
        }
    }
    Ok(out)
}

fn lang_name(path: &str) -> &'static str {
    match Lang::of(path.as_bytes()) {
        Some(Lang::Python) => "Python",
        Some(Lang::Ruby) => "Ruby",
        Some(Lang::Js) => "JavaScript",
        None => "SQL",
    }
}

fn ordering(
    ctx: &Context<'_>,
    finder: &Finders<'_>,
    snap: &Snapshot<'_>,
    base: &HashSet<RepoPath>,
    changed: &[Changed<'_>],
) -> Result<Vec<Finding>> {
    let sev = blocking(ctx);
    let classify = |p: &RepoPath| {
        let s = path_of(p)?;
        finder.classify(s).map(|m| (s.to_owned(), m))
    };
    let tree_paths: BTreeSet<RepoPath> = snap.paths()?;
    let tree: Vec<Known> = tree_paths
        .iter()
        .filter_map(|p| {
            classify(p).map(|(path, m)| Known {
                path,
                m,
                new: !base.contains(p),
            })
        })
        .collect();
    let base_known: Vec<Known> = base
        .iter()
        .filter_map(|p| {
            classify(p).map(|(path, m)| Known {
                path,
                m,
                new: false,
            })
        })
        .collect();
    let by_path: BTreeMap<&str, &Changed> = changed.iter().map(|c| (c.path.as_str(), c)).collect();
    let commit_of = |p: &str| by_path.get(p).and_then(|c| c.file.commit.as_deref());
    let mut out = Vec::new();
    for issue in order::check(&tree, &base_known) {
        let (path, rule, msg, help) = match issue {
            Issue::OutOfOrder {
                path,
                version,
                latest,
                latest_version,
            } => {
                let msg = format!("migration version {version} is not after {latest_version} (`{latest}`), the newest one already in the base");
                (path, &OUT_OF_ORDER, msg, "databases that ran the newer migration would skip this one: regenerate it with a new version/timestamp".to_owned())
            }
            Issue::Duplicate {
                path,
                other,
                version,
            } => {
                let msg = format!("migration version {version} is also used by `{other}`");
                (path, &DUPLICATE_VERSION, msg, "two branches took the same number: renumber the newer one (Django: `makemigrations --merge`)".to_owned())
            }
            Issue::Unpaired { path, missing } => {
                let msg = format!("golang-migrate migration without its partner `{missing}`");
                (
                    path,
                    &UNPAIRED,
                    msg,
                    format!(
                        "add `{missing}` (it may be empty) so the migration can be rolled back"
                    ),
                )
            }
        };
        out.push(
            Finding::new(rule, sev, msg)
                .at(&RepoPath::from(path.as_str()), None, None)
                .commit(commit_of(&path))
                .help(help)
                .key(rule.id.as_bytes()),
        );
    }
    // Alembic: one head per versions folder the change touches.
    let series: BTreeSet<&str> = changed
        .iter()
        .filter(|c| c.m.framework == Framework::Alembic)
        .map(|c| c.m.series.as_str())
        .collect();
    for s in series {
        let mut revs = Vec::new();
        for k in tree
            .iter()
            .filter(|k| k.m.framework == Framework::Alembic && k.m.series == s)
        {
            let Some(data) = snap.read(&RepoPath::from(k.path.as_str()))? else {
                continue;
            };
            match order::parse_alembic(&String::from_utf8_lossy(&data)) {
                Ok(r) => revs.push((k.path.clone(), r)),
                Err(e) if by_path.contains_key(k.path.as_str()) => out.push(
                    Finding::new(&UNPARSEABLE, Severity::Warn, format!("cannot read the Alembic revision of {}: {e}", k.path))
                        .at(&RepoPath::from(k.path.as_str()), None, None)
                        .commit(commit_of(&k.path))
                        .help("Alembic scripts set `revision = \"…\"` and `down_revision = …` at the top level; the head check skipped this file")
                        .key(b"alembic"),
                ),
                Err(_) => {}
            }
        }
        let heads = order::heads(&revs);
        if heads.len() > 1 {
            let at = heads
                .iter()
                .find(|(p, _)| by_path.contains_key(p.as_str()))
                .or(heads.first())
                .map(|(p, _)| p.clone())
                .unwrap_or_default();
            let list = heads
                .iter()
                .map(|(p, r)| format!("{} (`{p}`)", r.id))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Finding::new(&ALEMBIC_HEADS, sev, format!("Alembic has {} heads in {s}: {list}", heads.len()))
                    .at(&RepoPath::from(at.as_str()), None, None)
                    .commit(commit_of(&at))
                    .help("`alembic upgrade head` refuses to run: point down_revision at the current head, or run `alembic merge heads`")
                    .key(s.as_bytes()),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::ChangeSet;
    use crate::checks::Config;

    fn run_scan(files: &[(&str, &str)], mode: Mode) -> Vec<Finding> {
        let dir = tempfile::tempdir().unwrap();
        let mut cs = ChangeSet::from_disk(mode, dir.path().to_path_buf());
        for (p, body) in files {
            let full = dir.path().join(p);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, body).unwrap();
            cs.files.push(ChangedFile::on_disk(RepoPath::from(*p)));
        }
        let config = Config::default();
        Migrations
            .run(&Context {
                cs: &cs,
                config: &config,
                severity: Severity::Warn,
                verbose: false,
            })
            .unwrap()
    }

    #[test]
    fn unparseable_sql_is_a_warning_naming_the_file() {
        let f = run_scan(
            &[(
                "migrations/0001_x.sql",
                "CREATE TABLE t (a text DEFAULT 'oops);\n",
            )],
            Mode::PreCommit,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "unparseable");
        assert_eq!(f[0].severity, Severity::Warn);
        assert!(
            f[0].message.contains("migrations/0001_x.sql"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn scan_checks_heads_but_not_reviews() {
        let a = "revision = 'a'\ndown_revision = None\n";
        let b = "revision = 'b'\ndown_revision = 'a'\n";
        let c = "revision = 'c'\ndown_revision = 'a'\n";
        let f = run_scan(
            &[
                ("alembic/versions/a.py", a),
                ("alembic/versions/b.py", b),
                ("alembic/versions/c.py", c),
            ],
            Mode::Scan,
        );
        assert_eq!(
            f.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
            ["alembic-heads"],
            "{f:?}"
        );
    }

    #[test]
    fn destructive_is_blocking_at_commit_and_approval_silences_it() {
        let f = run_scan(
            &[("migrations/0001_x.sql", "ALTER TABLE t DROP COLUMN c;\n")],
            Mode::PreCommit,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        let f = run_scan(
            &[(
                "migrations/0001_x.sql",
                "-- hygiene: destructive-approved\nALTER TABLE t DROP COLUMN c;\n",
            )],
            Mode::PreCommit,
        );
        assert!(f.iter().all(|f| f.severity == Severity::Info), "{f:?}");
    }
}
