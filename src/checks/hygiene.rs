//! `hygiene`: the basics every hook suite is expected to catch — merge-conflict markers left in
//! added lines, files too large for a git repository, and file names that clash on
//! case-insensitive file systems.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Deserialize;

use super::{Check, Context};
use crate::changeset::{ChangedFile, ContentProbe, FileStatus, LineKey, Mode};
use crate::config::values::{ByteSize, SeverityConfig};
use crate::error::Result;
use crate::finding::Finding;
use crate::path::RepoPath;
use crate::rule::{self, Category, Example, Rule, RuleDoc};
use crate::stream::Next;
use crate::text;
use crate::word_hash::WordHash;

const ID: &str = "hygiene";

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HygieneConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Files larger than this are reported (default 5 MiB).
    pub max_file_size: ByteSize,
    pub conflict_markers: bool,
    pub case_conflicts: bool,
}

impl Default for HygieneConfig {
    fn default() -> Self {
        HygieneConfig {
            enabled: true,
            severity: None,
            max_file_size: ByteSize(5 << 20),
            conflict_markers: true,
            case_conflicts: true,
        }
    }
}

impl crate::config::Section for HygieneConfig {}

impl crate::config::CheckConfig for HygieneConfig {
    const STARTER: &'static str = include_str!("../../patterns/starter/hygiene.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

pub struct Hygiene;

impl Check for Hygiene {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "merge-conflict markers, oversized files, file names that clash by case"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        !matches!(mode, Mode::CommitMsg | Mode::PrepareCommitMsg)
    }
    fn content_probe(&self) -> Option<ContentProbe> {
        Some(may_hold_markers)
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        let cfg = &ctx.config.hygiene;
        let mut findings: Vec<Finding> = ctx
            .cs
            .files
            .par_iter()
            .filter(|f| f.status.has_content() && !f.is_symlink)
            .map(|f| check_file(ctx, f, cfg))
            .collect::<Result<Vec<Vec<Finding>>>>()?
            .into_iter()
            .flatten()
            .collect();
        if cfg.case_conflicts {
            findings.extend(case_conflicts(ctx)?);
        }
        Ok(findings)
    }
}

fn check_file(ctx: &Context<'_>, file: &ChangedFile, cfg: &HygieneConfig) -> Result<Vec<Finding>> {
    super::or_unreadable_note(&UNREADABLE, file, check_file_inner(ctx, file, cfg))
}

fn check_file_inner(
    ctx: &Context<'_>,
    file: &ChangedFile,
    cfg: &HygieneConfig,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let size = ctx.cs.size(file)?;
    if size > cfg.max_file_size.0 {
        out.push(
            Finding::new(&LARGE_FILE, ctx.severity, format!("file is {} (limit {})", text::human_bytes(size), text::human_bytes(cfg.max_file_size.0)))
                .at(&file.path, None, None)
                .commit(file.commit.as_deref())
                .help("track it with Git LFS (`git lfs track`), keep it out of git, or raise [hygiene] max_file_size")
                .key(b""),
        );
        return Ok(out);
    }
    if !cfg.conflict_markers || file.added.is_known_empty() {
        return Ok(out);
    }
    if ctx.cs.is_large(file)? {
        out.extend(markers_in_windows(ctx, file)?);
        return Ok(out);
    }
    // Another check's read of the file may have answered already (the secrets scan reads
    // every file first); otherwise this read answers.
    if ctx.cs.probed(file, ID) == Some(false) {
        return Ok(out);
    }
    let data = ctx.cs.content(file)?;
    if !ctx
        .cs
        .probed(file, ID)
        .unwrap_or_else(|| may_hold_markers(&data))
    {
        return Ok(out);
    }
    let has_open = text::lines(&data).any(|(_, l)| is_open_marker(l));
    let found: Vec<(u32, &[u8], &str)> = text::lines(&data)
        .filter_map(|(n, line)| Some((n, line, marker(line, has_open)?)))
        .collect();
    let keys: Vec<(u32, LineKey)> = found.iter().map(|&(n, l, _)| (n, LineKey::of(l))).collect();
    let added = ctx.cs.added_among(file, &keys, Some(&data))?;
    for (n, line, what) in found {
        if added.contains(n) {
            out.push(marker_finding(ctx, file, n, line, what));
        }
    }
    Ok(out)
}

/// Whether a file read whole can hold a conflict marker: it is text and holds `<<<<<<<` or
/// `>>>>>>>`. Nearly every file holds neither: one SIMD search each rules that out before the
/// line-by-line pass.
fn may_hold_markers(data: &[u8]) -> bool {
    !text::is_binary(data)
        && (memchr::memmem::find(data, b"<<<<<<<").is_some()
            || memchr::memmem::find(data, b">>>>>>>").is_some())
}

/// Conflict markers of a file too large to read whole, read in windows. An `=======` or
/// `|||||||` line counts once a `<<<<<<<` line came before it (in a file read whole, anywhere
/// in the file: in a real conflict it always comes first).
fn markers_in_windows(ctx: &Context<'_>, file: &ChangedFile) -> Result<Vec<Finding>> {
    let mut has_open = false;
    let mut found: Vec<(u32, Vec<u8>, &'static str)> = Vec::new();
    ctx.cs.windows(file, 0, |w| {
        if w.first && text::is_binary(w.text) {
            return Ok(Next::Stop);
        }
        let owned = &w.text[..w.owned];
        if !has_open
            && memchr::memmem::find(owned, b"<<<<<<<").is_none()
            && memchr::memmem::find(owned, b">>>>>>>").is_none()
        {
            return Ok(Next::Continue);
        }
        for (i, line) in text::lines(owned) {
            // The rest of a line cut at the window before does not start a line.
            if i == 1 && w.first_column > 0 {
                continue;
            }
            has_open |= is_open_marker(line);
            if let Some(what) = marker(line, has_open) {
                found.push((w.first_line + i - 1, line.to_vec(), what));
            }
        }
        Ok(Next::Continue)
    })?;
    let keys: Vec<(u32, LineKey)> = found.iter().map(|(n, l, _)| (*n, LineKey::of(l))).collect();
    let added = ctx.cs.added_among(file, &keys, None)?;
    Ok(found
        .iter()
        .filter(|(n, _, _)| added.contains(*n))
        .map(|(n, line, what)| marker_finding(ctx, file, *n, line, what))
        .collect())
}

/// The marker `line` is, if any; `has_open`: the file has a `<<<<<<<` line.
fn marker(line: &[u8], has_open: bool) -> Option<&'static str> {
    if is_open_marker(line) {
        Some("<<<<<<<")
    } else if line.starts_with(b">>>>>>>") && (line.len() == 7 || line[7] == b' ') {
        Some(">>>>>>>")
    } else if has_open
        && (line == b"=======" || line.starts_with(b"||||||| ") || line == b"|||||||")
    {
        Some(if line[0] == b'=' {
            "======="
        } else {
            "|||||||"
        })
    } else {
        None
    }
}

fn marker_finding(
    ctx: &Context<'_>,
    file: &ChangedFile,
    n: u32,
    line: &[u8],
    what: &str,
) -> Finding {
    Finding::new(
        &CONFLICT_MARKER,
        ctx.severity,
        format!("merge-conflict marker `{what}`"),
    )
    .at(&file.path, Some(n), Some(1))
    .commit(file.commit.as_deref())
    .snippet(String::from_utf8_lossy(line))
    .help("resolve the conflict, then `git add` the file again")
    .key(line)
}

fn is_open_marker(line: &[u8]) -> bool {
    line.starts_with(b"<<<<<<<") && (line.len() == 7 || line[7] == b' ')
}

/// New paths (and their directories) that equal another path of the resulting tree but for case.
/// A file added by a commit of a range is judged against that commit's own tree: a path renamed
/// by case later never existed next to its new spelling.
fn case_conflicts(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    // The new files of each commit (`None`: the index or a directory), in the order given.
    let mut groups: Vec<(Option<&str>, Vec<&ChangedFile>)> = Vec::new();
    let mut group_of: HashMap<Option<&str>, usize> = HashMap::new();
    for f in ctx.cs.files.iter().filter(|f| {
        matches!(
            f.status,
            FileStatus::Added | FileStatus::Renamed | FileStatus::Copied
        )
    }) {
        let commit = f.commit.as_deref();
        let i = *group_of.entry(commit).or_insert_with(|| {
            groups.push((commit, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(f);
    }
    let per_group = groups
        .par_iter()
        .map(|(commit, new)| match commit {
            Some(c) => {
                let paths: Vec<&[u8]> = new.iter().map(|f| f.path.as_bytes()).collect();
                let tree = ctx.cs.case_variants_at(c, &paths)?;
                Ok(clashes(ctx, new, Some(tree.iter().map(Vec::as_slice))))
            }
            None if ctx.cs.mode == Mode::Scan => {
                // A directory's tree is its files, every one of them new: the new paths alone.
                Ok(clashes(ctx, new, None::<std::iter::Empty<&[u8]>>))
            }
            None => {
                let tree = ctx.cs.tree_paths()?;
                Ok(clashes(ctx, new, Some(tree.iter().map(RepoPath::as_bytes))))
            }
        })
        .collect::<Result<Vec<Vec<Finding>>>>()?;
    Ok(per_group.into_iter().flatten().collect())
}

/// The clashes of the `new` files with each other and with the paths of their `tree` (`None`:
/// the new files are the whole tree).
fn clashes<'a>(
    ctx: &Context<'_>,
    new: &[&'a ChangedFile],
    tree: Option<impl Iterator<Item = &'a [u8]>>,
) -> Vec<Finding> {
    let mut key = Vec::new();
    // The spellings met of each lower-cased path, in the order met (nearly always one).
    let mut wanted: HashMap<Vec<u8>, Vec<&[u8]>, WordHash> =
        HashMap::with_capacity_and_hasher(new.len() + new.len() / 4, WordHash::default());
    let mut any = false;
    let Some(tree) = tree else {
        // Every path is new, so every lower-cased one is wanted: one pass gathers them.
        for f in new {
            for p in with_parents(f.path.as_bytes()) {
                let k = lower(p, &mut key);
                match wanted.get_mut(k) {
                    Some(set) if set.contains(&p) => break,
                    Some(set) => {
                        set.push(p);
                        any = true;
                    }
                    None => {
                        wanted.insert(k.to_vec(), vec![p]);
                    }
                }
            }
        }
        return if any {
            report_clashes(ctx, new, &wanted)
        } else {
            Vec::new()
        };
    };
    // Lower-cased new paths and their directories; only these can clash. A directory met
    // again was climbed from before: its own directories are in already.
    for f in new {
        for p in with_parents(f.path.as_bytes()) {
            if wanted.contains_key(lower(p, &mut key)) {
                break;
            }
            wanted.insert(key.clone(), Vec::new());
        }
    }
    for path in tree.chain(new.iter().map(|f| f.path.as_bytes())) {
        for p in with_parents(path) {
            if let Some(set) = wanted.get_mut(lower(p, &mut key)) {
                if set.contains(&p) {
                    break;
                }
                set.push(p);
                any |= set.len() > 1;
            }
        }
    }
    if !any {
        return Vec::new();
    }
    report_clashes(ctx, new, &wanted)
}

/// A finding for each new path (or directory) with another spelling in `wanted`, once per
/// lower-cased path.
fn report_clashes(
    ctx: &Context<'_>,
    new: &[&ChangedFile],
    wanted: &HashMap<Vec<u8>, Vec<&[u8]>, WordHash>,
) -> Vec<Finding> {
    let mut key = Vec::new();
    let mut out = Vec::new();
    let mut reported = HashSet::new();
    for f in new {
        for p in with_parents(f.path.as_bytes()) {
            let Some(set) = wanted.get(lower(p, &mut key)) else {
                continue;
            };
            if let Some(other) = set.iter().find(|o| **o != p) {
                if !reported.insert(p.to_ascii_lowercase()) {
                    continue;
                }
                let other = String::from_utf8_lossy(other);
                let this = String::from_utf8_lossy(p);
                out.push(
                    Finding::new(&CASE_CONFLICT, ctx.severity, format!("`{this}` differs only in case from `{other}`"))
                        .at(&f.path, None, None)
                        .commit(f.commit.as_deref())
                        .help("macOS and Windows treat these as one file; rename one of them with `git mv`")
                        .key(other.as_bytes()),
                );
            }
        }
    }
    out
}

/// `a/b/c` → `a/b/c`, `a/b`, `a`.
/// `p` in ASCII lower case, written into `buf` (one buffer for every lookup, not a new one each).
fn lower<'b>(p: &[u8], buf: &'b mut Vec<u8>) -> &'b [u8] {
    buf.clear();
    buf.extend(p.iter().map(u8::to_ascii_lowercase));
    buf
}

fn with_parents(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut end = Some(path.len());
    std::iter::from_fn(move || {
        let e = end?;
        let p = &path[..e];
        end = p.iter().rposition(|&b| b == b'/').filter(|&i| i > 0);
        Some(p)
    })
}

// The rules, as `git hygiene explain` prints them.

pub const UNREADABLE: Rule = crate::unread::rule(ID, Category::Note);

pub const CONFLICT_MARKER: Rule = Rule {
    check: ID,
    id: "conflict-marker",
    category: Category::Correctness,
    summary: "a merge-conflict marker in an added line",
    explanation: r#"Reports lines that start with `<<<<<<<` or `>>>>>>>`, and `=======` / `|||||||` lines in a file that has a `<<<<<<<` marker, when they are added by the change.

Why: a half-resolved merge compiles surprisingly often (in Markdown, YAML, JSON fixtures) and ships both sides of the conflict."#,
    examples: &[Example {
        bad: r#"<<<<<<< HEAD
timeout = 30
=======
timeout = 60
>>>>>>> feature/CU-86b2xk4pq-retry"#,
        good: None,
    }],
    advice: r#"Fix: resolve the conflict and stage the file again. A lone `=======` (a reStructuredText underline) is not reported."#,
};

pub const LARGE_FILE: Rule = Rule {
    check: ID,
    id: "large-file",
    category: Category::Convention,
    summary: "a file larger than [hygiene] max_file_size (default 5 MiB)",
    explanation: r#"Reports added or changed files whose content is larger than `max_file_size`.

Why: git keeps every version of a file forever; one large binary makes every clone slower, and removing it later means rewriting history."#,
    examples: &[],
    advice: r#"Fix: track it with Git LFS (`git lfs track 'path'`), keep it out of the repository, or raise the limit:
    [hygiene]
    max_file_size = "20 MiB""#,
};

pub const CASE_CONFLICT: Rule = Rule {
    check: ID,
    id: "case-conflict",
    category: Category::Correctness,
    summary: "a file name that differs only by case from another path",
    explanation: r#"Reports a new path that equals an existing path (or directory) except for letter case, such as `Readme.md` next to `README.md`.

Why: macOS and Windows file systems are case-insensitive by default; there the two paths are one file, checkouts fight, and changes are lost."#,
    examples: &[],
    advice: r#"Fix: rename one of them (`git mv`)."#,
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[&CONFLICT_MARKER, &LARGE_FILE, &CASE_CONFLICT, &UNREADABLE];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::{AddedLines, ChangeSet};
    use crate::checks::Config;
    use crate::finding::Severity;

    fn run(files: &[(&str, &str)], added: AddedLines) -> Vec<Finding> {
        let dir = tempfile::tempdir().unwrap();
        let mut cs = ChangeSet::from_disk(Mode::Scan, dir.path().to_path_buf());
        for (p, body) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
            cs.files.push(ChangedFile {
                added: crate::changeset::Added::known(added.clone()),
                ..ChangedFile::on_disk(RepoPath::from(*p))
            });
        }
        let config = Config::default();
        Hygiene
            .run(&Context {
                cs: &cs,
                config: &config,
                severity: Severity::Error,
                verbose: false,
            })
            .unwrap()
    }

    #[test]
    fn markers_found_only_in_added_lines() {
        let body = "a\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> other\n";
        let f = run(&[("f.txt", body)], AddedLines::All);
        assert_eq!(
            f.iter().map(|f| f.line.unwrap()).collect::<Vec<_>>(),
            vec![2, 4, 6]
        );
        let f = run(&[("f.txt", body)], AddedLines::Ranges(vec![(5, 6)]));
        assert_eq!(
            f.iter().map(|f| f.line.unwrap()).collect::<Vec<_>>(),
            vec![6]
        );
    }

    #[test]
    fn rst_underline_is_not_a_marker() {
        assert!(run(&[("doc.rst", "Title\n=======\n")], AddedLines::All).is_empty());
    }

    #[test]
    fn case_clash_between_new_files() {
        let f = run(&[("README.md", "a"), ("Readme.md", "b")], AddedLines::All);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "case-conflict");
    }

    #[test]
    fn directories_clash_once_however_many_files_they_hold() {
        let files = [
            ("src/Util/a.rs", "a"),
            ("src/Util/b.rs", "b"),
            ("src/x.rs", "x"),
            ("src/util/c.rs", "c"),
            ("src/util/d/e.rs", "e"),
        ];
        let f = run(&files, AddedLines::All);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("`src/Util`") && f[0].message.contains("`src/util`"),
            "{f:?}"
        );
    }

    #[test]
    fn parents() {
        assert_eq!(
            with_parents(b"a/b/c").collect::<Vec<_>>(),
            vec![&b"a/b/c"[..], b"a/b", b"a"]
        );
    }

    #[test]
    fn either_marker_anywhere_in_a_text_file_may_be_one() {
        let long = "x".repeat(100_000);
        for m in ["<<<<<<<", ">>>>>>>"] {
            assert!(
                may_hold_markers(format!("{long}\n{m} HEAD\n").as_bytes()),
                "{m}"
            );
            assert!(may_hold_markers(m.as_bytes()), "{m}");
            assert!(
                !may_hold_markers(format!("\0{m}").as_bytes()),
                "binary: {m}"
            );
        }
        assert!(!may_hold_markers(
            format!("{long}<<<<<< >>>>>> ======= <<<").as_bytes()
        ));
    }

    /// A tree scan's one pass finds what the two passes find when the tree is the new files.
    #[test]
    fn the_one_pass_of_a_whole_tree_finds_what_two_passes_find() {
        let paths = [
            "Docs/a.md",
            "docs/b.md",
            "docs/B.md",
            "src/Util/a.rs",
            "src/util/a.rs",
            "src/x.rs",
            "README",
            "readme",
            "ReadMe",
            "x/y/Z",
            "x/Y/z",
        ];
        let files: Vec<ChangedFile> = paths
            .iter()
            .map(|p| ChangedFile::on_disk(RepoPath::from(*p)))
            .collect();
        let new: Vec<&ChangedFile> = files.iter().collect();
        let cs = ChangeSet::from_disk(Mode::Scan, std::env::temp_dir());
        let config = Config::default();
        let ctx = Context {
            cs: &cs,
            config: &config,
            severity: Severity::Error,
            verbose: false,
        };
        let show = |f: Vec<Finding>| -> Vec<String> {
            f.iter()
                .map(|f| format!("{:?}: {}", f.path, f.message))
                .collect()
        };
        let one = show(clashes(&ctx, &new, None::<std::iter::Empty<&[u8]>>));
        let two = show(clashes(
            &ctx,
            &new,
            Some(paths.iter().map(|p| p.as_bytes())),
        ));
        assert_eq!(one, two);
        assert_eq!(one.len(), 7, "{one:?}");
    }
}
