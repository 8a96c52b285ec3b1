//! `adr`: changes to architecture-significant paths cite an Architecture Decision Record that
//! exists and is in force, and the ADRs themselves are well formed.
//!
//! When each rule runs: ADR validity at pre-commit, pre-push, in ci and in scans, when ADR files
//! change (a scan: always); the link from a change to an ADR at commit-msg (the message exists
//! there, and the staged files are known), pre-push and ci.

pub mod links;
pub mod markers;
pub mod parse;
pub mod rules;
pub mod validate;

use std::collections::{BTreeSet, HashSet};

use serde::Deserialize;

use super::per_config::PerConfig;
use super::snapshot::Snapshot;
use super::{globs, Check, Context};
use crate::changeset::{ChangedFile, Mode};
use crate::config::values::SeverityConfig;
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::path::RepoPath;
use crate::rule::{self, Rule, RuleDoc};

use parse::Adr;
use rules::{ADR_DIRECTORY, LINK_MISSING, LINK_STATUS, LINK_UNKNOWN, RULES};

const ID: &str = "adr";

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdrConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Where ADRs may live; the first that holds an ADR is used (`adr new` creates the first).
    #[serde(deserialize_with = "adr_dirs")]
    pub dirs: Vec<String>,
    /// Allowed statuses (first word, case-insensitive); "Superseded" covers "Superseded by ADR-NNNN".
    pub statuses: Vec<String>,
    /// Sections every ADR needs; default: by template (Nygard or MADR).
    pub required_sections: Option<Vec<String>>,
    /// Architecture-significant paths (globs).
    #[serde(deserialize_with = "globs::checked")]
    pub paths: Vec<String>,
    /// Require an ADR reference for those paths. Default: when the repository has ADRs.
    pub require_link: Option<bool>,
    /// Check the ADR files themselves.
    pub validate: bool,
    /// Template for `git hygiene adr new`.
    pub template: NewTemplate,
}

/// The template `git hygiene adr new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NewTemplate {
    /// Like the newest ADR (Nygard when there is none).
    Auto,
    Nygard,
    Madr,
}

/// `[adr] dirs`: directories inside the repository (ADRs are found by comparing paths, so
/// `./docs/adr/` is read as `docs/adr`), at least one — an empty list would find no ADR and
/// switch the check off without saying so.
fn adr_dirs<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    crate::config::values::checked_list(
        d,
        false,
        |t| {
            match crate::config::values::relative_dir(t) {
            Ok(Some(dir)) => Ok(dir),
            Ok(None) => Err(format!("[adr] dirs: `{t}` is the repository root; ADRs live in a directory, e.g. \"docs/adr\"")),
            Err(e) => Err(format!("[adr] dirs: {e}")),
        }
        },
        |dirs| {
            if dirs.is_empty() {
                Err("[adr] dirs is empty, so no ADR would ever be found; list where ADRs live, e.g. [\"docs/adr\"], or set `enabled = false` to turn the check off".into())
            } else {
                Ok(())
            }
        },
    )
}

impl Default for AdrConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        AdrConfig {
            enabled: true,
            severity: None,
            dirs: s(&["docs/adr", "doc/adr", "docs/decisions", "adr"]),
            statuses: s(&[
                "Proposed",
                "Accepted",
                "Rejected",
                "Deprecated",
                "Superseded",
            ]),
            required_sections: None,
            paths: s(&[
                "infra/**",
                "terraform/**",
                "helm/**",
                "k8s/**",
                "deploy/**",
                "**/Dockerfile",
                "docker-compose*.yml",
                "docker-compose*.yaml",
                ".gitlab-ci.yml",
            ]),
            require_link: None,
            validate: true,
            template: NewTemplate::Auto,
        }
    }
}

/// A nested config adds architecture-significant paths and ADR directories for its own directory.
impl crate::config::Section for AdrConfig {
    const NESTING: crate::config::layers::Nesting = crate::config::layers::Nesting::Keys(&[
        crate::config::layers::PathKey {
            key: "paths",
            kind: crate::config::layers::PathKind::Globs,
        },
        crate::config::layers::PathKey {
            key: "dirs",
            kind: crate::config::layers::PathKind::Dirs,
        },
    ]);
    fn builtin_lists(&self) -> Vec<(&'static str, Vec<String>)> {
        vec![("paths", self.paths.clone()), ("dirs", self.dirs.clone())]
    }
}

impl crate::config::CheckConfig for AdrConfig {
    const STARTER: &'static str = include_str!("../../../patterns/starter/adr.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

pub struct AdrCheck;

impl Check for AdrCheck {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "architecture changes cite an ADR in force; ADR files are numbered and well formed"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        mode != Mode::PrepareCommitMsg
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        run(ctx)
    }
}

fn path_str(p: &RepoPath) -> Option<&str> {
    std::str::from_utf8(p.as_bytes()).ok()
}

/// Is `path` a direct child of one of the ADR directories, named like an ADR?
fn adr_dir_of<'a>(path: &str, dirs: &'a [String]) -> Option<&'a str> {
    let (dir, name) = path.rsplit_once('/')?;
    parse::number_of(name)?;
    dirs.iter()
        .find(|d| d.trim_end_matches('/') == dir)
        .map(String::as_str)
}

/// The ADR directory of a tree: the first configured one that holds an ADR.
pub fn find_dir<'a, I: IntoIterator<Item = &'a str>>(paths: I, dirs: &[String]) -> Option<String> {
    let mut best: Option<usize> = None;
    for p in paths {
        if let Some(d) = adr_dir_of(p, dirs) {
            let i = dirs.iter().position(|x| x == d).unwrap_or(usize::MAX);
            best = Some(best.map_or(i, |b| b.min(i)));
        }
    }
    best.and_then(|i| dirs.get(i))
        .map(|d| d.trim_end_matches('/').to_owned())
}

/// `[adr] dirs` of each config judging a changed file (a nested one's hold its parents' unless
/// it says `root = true`): ADRs are found in any of them. The root config's alone when no
/// nested config is in play.
fn dirs_of_change(ctx: &Context<'_>) -> Result<Vec<String>> {
    let Some(tree) = &ctx.config.tree else {
        return Ok(ctx.config.adr.dirs.clone());
    };
    let mut dirs: Vec<String> = Vec::new();
    for c in tree.configs_of(ctx.config, ctx.cs.files.iter().map(|f| &f.path))? {
        for d in &c.adr.dirs {
            if !dirs.contains(d) {
                dirs.push(d.clone());
            }
        }
    }
    if dirs.is_empty() {
        dirs = ctx.config.adr.dirs.clone();
    }
    Ok(dirs)
}

fn run(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    let cfg = &ctx.config.adr;
    let cs = ctx.cs;
    let mode = cs.mode;
    // A path is architecture-significant by the `[adr] paths` of the config that judges it.
    let arch_globs = PerConfig::new(ctx.config, |c| globs::compile(&c.adr.paths, "[adr] paths"))?;
    let is_arch = |s: &str| arch_globs.of(s).is_ok_and(|g| g.is_match(s));
    let adr_dirs = dirs_of_change(ctx)?;
    // This runs at every commit: when no changed path is architecture-significant or named like
    // an ADR there is nothing to judge, and the ADR tools' files are not read.
    let may_matter = |p: &RepoPath| {
        path_str(p).is_some_and(|s| {
            is_arch(s) || parse::number_of(s.rsplit('/').next().unwrap_or(s)).is_some()
        })
    };
    if !cs
        .files
        .iter()
        .any(|f| may_matter(&f.path) || f.old_path.as_ref().is_some_and(may_matter))
    {
        return Ok(Vec::new());
    }
    let snap = Snapshot::new(cs);
    let marker = markers::find(&snap)?;
    let dirs = markers::dirs(marker.as_ref(), &adr_dirs);
    let adr_touched = cs.files.iter().any(|f| {
        path_str(&f.path).is_some_and(|p| adr_dir_of(p, &dirs).is_some())
            || f.old_path
                .as_ref()
                .and_then(path_str)
                .is_some_and(|p| adr_dir_of(p, &dirs).is_some())
    });
    let linking = matches!(
        mode,
        Mode::CommitMsg | Mode::PrePush | Mode::PreReceive | Mode::Ci
    ) && cfg.require_link != Some(false);
    let arch: Vec<&ChangedFile> = if linking {
        cs.files
            .iter()
            .filter(|f| {
                let m = |p: &RepoPath| {
                    path_str(p).is_some_and(|s| is_arch(s) && adr_dir_of(s, &dirs).is_none())
                };
                m(&f.path) || f.old_path.as_ref().is_some_and(m)
            })
            .collect()
    } else {
        Vec::new()
    };
    let validating = cfg.validate && adr_touched && mode != Mode::CommitMsg;
    if !validating && arch.is_empty() {
        return Ok(Vec::new());
    }
    let tree: BTreeSet<RepoPath> = snap.paths()?;
    let dir = find_dir(tree.iter().filter_map(path_str), &dirs);
    let adrs = match &dir {
        Some(d) => load(&snap, &tree, d)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    if let (Some(m), true) = (&marker, ctx.verbose) {
        out.push(
            Finding::new(
                &ADR_DIRECTORY,
                Severity::Info,
                format!("ADRs are read from `{}`, as {} says", m.dir, m.file),
            )
            .key(m.dir.as_bytes()),
        );
    }
    if validating {
        let changed: HashSet<String> = snap
            .changed()
            .iter()
            .filter_map(|f| path_str(&f.path).map(str::to_owned))
            .collect();
        for p in validate::validate(&adrs, &changed, cfg) {
            out.push(
                Finding::new(p.rule, ctx.severity, p.message)
                    .at(&RepoPath::from(p.path.as_str()), p.line, None)
                    .commit(
                        snap.latest(&RepoPath::from(p.path.as_str()))
                            .and_then(|f| f.commit.as_deref()),
                    )
                    .help(p.help)
                    .key(p.key.as_bytes()),
            );
        }
    }
    if !arch.is_empty() {
        let has_adrs = !adrs.is_empty();
        if cfg.require_link == Some(true) || has_adrs {
            out.extend(linkage(ctx, &arch, &adrs, dir.as_deref(), &dirs)?);
        }
    }
    Ok(out)
}

/// Every ADR of the resulting tree in `dir`, in number order.
pub fn load(snap: &Snapshot<'_>, tree: &BTreeSet<RepoPath>, dir: &str) -> Result<Vec<Adr>> {
    let prefix = format!("{dir}/");
    let mut out = Vec::new();
    for p in tree {
        let Some(s) = path_str(p) else {
            continue;
        };
        let Some(name) = s.strip_prefix(&prefix) else {
            continue;
        };
        if name.contains('/') || parse::number_of(name).is_none() {
            continue;
        }
        let Some(data) = snap.read(p)? else {
            continue;
        };
        if let Some(a) = parse::parse(s, &String::from_utf8_lossy(&data)) {
            out.push(a);
        }
    }
    out.sort_by_key(|a| a.number);
    Ok(out)
}

/// The ADRs a change may cite: a superseded, rejected or deprecated one is no decision in
/// force (a successor, if any, is the one to cite).
fn in_force(adrs: &[Adr]) -> Vec<&Adr> {
    adrs.iter()
        .filter(|a| {
            a.superseded_by.is_empty()
                && !matches!(
                    a.status_word().as_deref(),
                    Some("superseded" | "rejected" | "deprecated")
                )
        })
        .collect()
}

/// "ADRs to choose from: ADR-0001 Record architecture decisions (Accepted)
/// docs/adr/0001-record-architecture-decisions.md; …" — the files a change may cite.
fn choices(adrs: &[Adr]) -> String {
    const NEW: &str = "write one with `git hygiene adr new \"Title\"`";
    if adrs.is_empty() {
        return format!("there are no ADRs yet: {NEW}");
    }
    let in_force = in_force(adrs);
    if in_force.is_empty() {
        return format!("no ADR is in force (each is superseded, rejected or deprecated): {NEW}");
    }
    const MAX: usize = 15;
    let skip = in_force.len().saturating_sub(MAX);
    let mut list: Vec<String> = in_force
        .iter()
        .skip(skip)
        .map(|a| {
            format!(
                "ADR-{:04} {} ({}) {}",
                a.number,
                a.title.as_deref().unwrap_or("untitled"),
                a.status.as_deref().unwrap_or("no status"),
                a.path
            )
        })
        .collect();
    if skip > 0 {
        list.insert(0, format!("… {skip} older"));
    }
    format!("ADRs to choose from: {}", list.join("; "))
}

fn linkage(
    ctx: &Context<'_>,
    arch: &[&ChangedFile],
    adrs: &[Adr],
    dir: Option<&str>,
    searched: &[String],
) -> Result<Vec<Finding>> {
    let cs = ctx.cs;
    let mut texts: Vec<&str> = Vec::new();
    if let Some(m) = &cs.message {
        texts.push(&m.text);
    }
    texts.extend(cs.commits.iter().map(|c| c.message.as_str()));
    if let Some(mr) = &cs.merge_request {
        texts.push(&mr.title);
        texts.push(&mr.description);
    }
    let mut dirs = searched.to_vec();
    if let Some(d) = dir {
        dirs.push(d.to_owned());
    }
    let mut refs: Vec<u32> = Vec::new();
    for t in &texts {
        for n in links::refs_with_dirs(t, false, &dirs) {
            if !refs.contains(&n) {
                refs.push(n);
            }
        }
    }
    let first = arch[0];
    let mut shown: Vec<String> = arch
        .iter()
        .filter_map(|f| path_str(&f.path).map(str::to_owned))
        .collect();
    shown.dedup();
    let what = match shown.len() {
        0 | 1 => format!("`{}`", first.path.display()),
        n => format!("`{}` and {} more", first.path.display(), n - 1),
    };
    let where_ = match cs.mode {
        Mode::CommitMsg => "the commit message",
        Mode::Ci => "any commit message of the merge request or its description",
        _ => "any commit message being pushed",
    };
    let finding = |rule: &Rule, sev: Severity, msg: String, help: String, key: &str| {
        Finding::new(rule, sev, msg)
            .at(&first.path, None, None)
            .commit(first.commit.as_deref())
            .help(help)
            .key(key.as_bytes())
    };
    if refs.is_empty() {
        return Ok(vec![finding(
            &LINK_MISSING,
            ctx.severity,
            format!("{what} is architecture-significant, but {where_} references no ADR"),
            // The example cites an ADR that exists: the newest in force.
            match in_force(adrs).last() {
                Some(a) => format!(
                    "add e.g. `Refs: ADR-{:04}` to {where_}. {}",
                    a.number,
                    choices(adrs)
                ),
                None => format!(
                    "add a `Refs: ADR-<number>` line to {where_}; {}",
                    choices(adrs)
                ),
            },
            "missing",
        )]);
    }
    // Each referenced ADR: in force, proposed, or not (unknown, rejected, superseded, deprecated).
    let mut good = false;
    let mut proposed = Vec::new();
    let mut bad = Vec::new();
    for n in &refs {
        let Some(a) = adrs.iter().find(|a| a.number == *n) else {
            bad.push((
                &LINK_UNKNOWN,
                format!("ADR-{n:04} is referenced but does not exist"),
                format!("check the number. {}", choices(adrs)),
                format!("unknown {n}"),
            ));
            continue;
        };
        match a.status_word().as_deref() {
            Some("proposed") | Some("draft") => {
                good = true;
                proposed.push(a);
            }
            Some(w @ ("rejected" | "deprecated" | "superseded")) => {
                let successor = successor_chain(a, adrs);
                let (msg, help) = match successor {
                    Some(s) => (
                        format!("{} is {w}; it was superseded by {}", a.label(), s.label()),
                        format!("reference ADR-{:04} instead (it is {})", s.number, s.status.as_deref().unwrap_or("without status")),
                    ),
                    None => (format!("{} is {w}", a.label()), format!("a {w} decision does not justify a change; reference the decision in force, or write one with `git hygiene adr new`. {}", choices(adrs))),
                };
                bad.push((&LINK_STATUS, msg, help, format!("{w} {n}")));
            }
            _ => good = true,
        }
    }
    let mut out = Vec::new();
    if !good {
        for (rule, msg, help, key) in bad {
            out.push(finding(rule, ctx.severity, msg, help, &key));
        }
    } else {
        for a in proposed {
            out.push(finding(
                &LINK_STATUS,
                Severity::Warn,
                format!("{} is only Proposed", a.label()),
                "get the decision accepted (set its status to Accepted) before the change ships"
                    .into(),
                &format!("proposed {}", a.number),
            ));
        }
    }
    Ok(out)
}

/// The ADR in force that replaced `a`: follow `Superseded by` links (at most a few hops).
fn successor_chain<'a>(a: &'a Adr, adrs: &'a [Adr]) -> Option<&'a Adr> {
    let mut cur = adrs
        .iter()
        .find(|x| Some(&x.number) == a.superseded_by.first())?;
    for _ in 0..16 {
        match cur
            .superseded_by
            .first()
            .and_then(|n| adrs.iter().find(|x| x.number == *n))
        {
            Some(next) if next.number != a.number => cur = next,
            _ => break,
        }
    }
    Some(cur)
}
