//! The `ChangeSet`: the single description of what is being judged. Built by `git/mod.rs` (from the
//! index, a push range, an MR range) or `tree.rs` (a directory), read by every check. Checks never
//! call git themselves; they ask the change set for content.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

pub use crate::content::{short_id, Source};
use crate::content::{too_large_to_read_whole, ContentStore, DiskStore, WHOLE_READ_MAX};
use crate::encoding;
use crate::error::Error;
use crate::finding::Fnv64;
use crate::path::RepoPath;
use crate::shard::Shard;
use crate::stream::{self, Next, Window};

/// The moment at which a change is judged. Severity is configured per moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    PreCommit,
    CommitMsg,
    PrepareCommitMsg,
    PrePush,
    /// The server's pre-receive hook: the push judged as pre-push judges it, from the other side.
    PreReceive,
    Ci,
    Scan,
    /// `check --all-files` / `check --files`: the work-tree content of tracked (or named)
    /// files, every line new, linters included; no base, so nothing is judged as a change.
    AllFiles,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::PreCommit => "pre-commit",
            Mode::CommitMsg => "commit-msg",
            Mode::PrepareCommitMsg => "prepare-commit-msg",
            Mode::PrePush => "pre-push",
            Mode::PreReceive => "pre-receive",
            Mode::Ci => "ci",
            Mode::Scan => "scan",
            Mode::AllFiles => "all-files",
        }
    }
    /// A whole tree judged as it is (`scan PATH`, `check --all-files`): every line is new and
    /// there is no base, so rules about what a change adds or edits have nothing to compare.
    pub fn is_whole_tree(self) -> bool {
        matches!(self, Mode::Scan | Mode::AllFiles)
    }
    /// A push being judged: pre-push in the clone, pre-receive on the server. Both see the
    /// ref updates (`ChangeSet::push`) and judge them alike.
    pub fn is_push(self) -> bool {
        matches!(self, Mode::PrePush | Mode::PreReceive)
    }
    /// The key under which `severity = { … }` configures this moment. The message hooks run
    /// as part of a commit, so they share the `pre-commit` key.
    pub fn severity_key(self) -> &'static str {
        match self {
            // `check --all-files` is `check` over more files: the commit's severities.
            Mode::PreCommit | Mode::CommitMsg | Mode::PrepareCommitMsg | Mode::AllFiles => {
                "pre-commit"
            }
            Mode::PrePush | Mode::PreReceive => "pre-push",
            Mode::Ci => "ci",
            Mode::Scan => "scan",
        }
    }
}

/// Where HEAD stands when a hook runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum HeadState {
    /// On a branch with commits.
    #[default]
    Branch,
    /// On a branch with no commit yet (first commit of a repository).
    Unborn,
    /// Detached HEAD, not in a rebase.
    Detached,
    /// A rebase is in progress; `ChangeSet::branch` is the branch being rebased.
    Rebasing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    Added,
    Modified,
    Deleted,
    Renamed,
    Copied,
    TypeChanged,
}

impl FileStatus {
    /// Does the file have new content to judge?
    pub fn has_content(self) -> bool {
        self != FileStatus::Deleted
    }
}

/// A line of text, by length and hash: what [`ChangeSet::added_among`] compares, for files too
/// large to diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineKey {
    len: usize,
    hash: u64,
}

impl LineKey {
    /// The key of `line` (without its `\n`; a `\r` before it is ignored).
    pub fn of(line: &[u8]) -> LineKey {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut h = Fnv64::new();
        h.write(line);
        LineKey {
            len: line.len(),
            hash: h.finish(),
        }
    }
}

/// Which lines of a file are new. A new file (or a directory scan) is new everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedLines {
    All,
    /// Sorted, non-overlapping, 1-based inclusive ranges `(first, last)`.
    Ranges(Vec<(u32, u32)>),
}

impl AddedLines {
    pub fn contains(&self, line: u32) -> bool {
        match self {
            AddedLines::All => true,
            AddedLines::Ranges(r) => r
                .binary_search_by(|&(a, b)| {
                    if line < a {
                        std::cmp::Ordering::Greater
                    } else if line > b {
                        std::cmp::Ordering::Less
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok(),
        }
    }
    pub fn is_empty(&self) -> bool {
        matches!(self, AddedLines::Ranges(r) if r.is_empty())
    }
}

/// A file's added lines: known when the change set is built (staged diffs, new files, scans),
/// or found on first use by diffing against `old_blob` ([`ChangeSet::added`]). History ranges
/// use the second form: a check needs the diff only for the few files where it found
/// something, and a diff costs two blob inflations.
#[derive(Debug, Clone, Default)]
pub struct Added(OnceLock<AddedLines>);

impl Added {
    pub fn known(lines: AddedLines) -> Self {
        Added(OnceLock::from(lines))
    }
    /// Lines not in the file's `old_blob`, computed when first asked for.
    pub fn against_old() -> Self {
        Added(OnceLock::new())
    }
    pub fn get(&self) -> Option<&AddedLines> {
        self.0.get()
    }
    /// Known to add no line (a deletion, a pure rename): nothing to read.
    pub fn is_known_empty(&self) -> bool {
        self.get().is_some_and(AddedLines::is_empty)
    }
}

#[derive(Debug, Clone)]
pub struct ChangedFile {
    pub path: RepoPath,
    pub status: FileStatus,
    /// The path before a rename or copy.
    pub old_path: Option<RepoPath>,
    pub source: Source,
    /// The blob id of the previous version, when there is one (modified, renamed, deleted).
    pub old_blob: Option<String>,
    /// Read it with [`ChangeSet::added`]; it may not be computed yet.
    pub added: Added,
    /// The commit this version was introduced by, in modes that judge commits.
    pub commit: Option<String>,
    /// Executable / symlink bits are not needed by checks; only whether the entry is a symlink.
    pub is_symlink: bool,
    /// What reading the file found out, kept for the next check that asks.
    pub(crate) read: ReadState,
}

/// What the reads of one file found out, shared by the checks (a flag per file, not a shared
/// lock on every read).
#[derive(Debug, Clone, Default)]
pub struct ReadState {
    /// Set by the first read of the content, so that the summary counts a file once however
    /// many checks read it.
    counted: OnceLock<()>,
    /// The content's size, looked up once however many checks ask.
    size: OnceLock<u64>,
    /// The answers of the change set's [`ContentProbe`]s, bit `i` for probe `i`, set by the
    /// first whole read of the content.
    probed: OnceLock<u64>,
}

/// A question a check asks of a file's whole content (hygiene: "could it hold a conflict
/// marker?"). The first check to read the file answers it for every registered probe
/// ([`ChangeSet::set_probes`]), so a check whose question is answered "no" need not read the
/// file again: in a history or tree scan that spares a second read of every file.
pub type ContentProbe = fn(&[u8]) -> bool;

impl ChangedFile {
    /// A file on disk under the change set's root, new in every line (directory scans, and
    /// change sets built by hand in tests).
    pub fn on_disk(path: RepoPath) -> Self {
        ChangedFile {
            path,
            status: FileStatus::Added,
            old_path: None,
            source: Source::Disk,
            old_blob: None,
            added: Added::known(AddedLines::All),
            commit: None,
            is_symlink: false,
            read: ReadState::default(),
        }
    }

    pub fn blob_id(&self) -> Option<&str> {
        match &self.source {
            Source::Blob(id) => Some(id),
            _ => None,
        }
    }

    /// "`path` at commit 1a2b3c4d5e6f" (the path alone when no commit is judged), for messages.
    pub fn location(&self) -> String {
        match &self.commit {
            Some(c) => format!("`{}` at commit {}", self.path.display(), short_id(c)),
            None => format!("`{}`", self.path.display()),
        }
    }

    /// A failed read of this file's objects, with the file and its commit named.
    fn read_error(&self, e: Error) -> Error {
        match e {
            Error::Git(m) => Error::Git(format!("cannot read {}: {m}", self.location())),
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub parents: Vec<String>,
    pub message: String,
    pub author: String,
}

impl Commit {
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

/// The message being written (commit-msg / prepare-commit-msg).
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub file: PathBuf,
    /// The file as git wrote it.
    pub raw: String,
    /// What git will keep: comment lines and the `-v` scissors section removed.
    pub text: String,
    /// prepare-commit-msg's second argument: message, template, merge, squash, commit.
    pub source: Option<String>,
    /// prepare-commit-msg's third argument (a commit id for `commit`).
    pub source_commit: Option<String>,
    /// The comment character git used for this message.
    pub comment_char: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKind {
    /// The remote ref does not exist yet.
    Create,
    /// Fast-forward of an existing remote ref.
    Update,
    /// The remote commit is not an ancestor of the pushed one: history is rewritten.
    Force,
    /// The remote ref is deleted.
    Delete,
}

/// One line of pre-push stdin, classified.
#[derive(Debug, Clone)]
pub struct PushRef {
    pub local_ref: String,
    pub local_oid: String,
    pub remote_ref: String,
    pub remote_oid: String,
    pub kind: PushKind,
    /// Commit ids this ref would add to the remote (oldest first).
    pub new_commits: Vec<String>,
    /// Every commit the remote branch gains (`remote..local` for an update, `new_commits` for a
    /// new ref), with its message — including commits already on other remote branches. For rules
    /// about what reaches a branch (no `fixup!` on a protected one); content is judged from
    /// `new_commits` only.
    pub gained: Vec<Commit>,
}

impl PushRef {
    /// `refs/heads/main` → `main`.
    pub fn remote_branch(&self) -> Option<&str> {
        self.remote_ref.strip_prefix("refs/heads/")
    }
}

/// A merge request / pull request, when the pipeline knows one.
#[derive(Debug, Clone, Default)]
pub struct MergeRequest {
    pub title: String,
    pub description: String,
    pub source_branch: Option<String>,
    pub target_branch: Option<String>,
    /// What the platform says about squashing on merge; `None` when it does not say.
    /// [`crate::checks::commit_msg::CommitMsgConfig::squashes`] decides with the config.
    pub squash_on_merge: Option<bool>,
}

pub struct ChangeSet {
    pub mode: Mode,
    /// Work-tree root for repositories, the scanned directory for scans.
    pub root: PathBuf,
    /// The branch being judged: the current branch (hooks), the source branch (ci).
    pub branch: Option<String>,
    pub head_state: HeadState,
    /// Full id of HEAD (pre-commit) or of the range's head (ci, history); `None` when unborn.
    pub head: Option<String>,
    /// The base the change is compared with: HEAD at commit time, the merge-base in ci.
    pub base: Option<String>,
    /// Commits whose files count as published (a migration in one is applied): at commit time
    /// the upstream and the remote's default branch, at push the base and that default branch.
    /// Empty: `base` alone.
    pub applied: Vec<String>,
    /// Commits being judged, oldest first (pre-push, ci, history).
    pub commits: Vec<Commit>,
    pub message: Option<Message>,
    pub files: Vec<ChangedFile>,
    pub merge_request: Option<MergeRequest>,
    pub push: Vec<PushRef>,
    /// The remote name for pre-push.
    pub remote: Option<String>,
    /// `--shard I/N`: `files` holds only this shard's part, and only this shard's findings are
    /// reported (see `shard.rs`).
    pub shard: Option<Shard>,
    /// Entries the change set could not list or read itself (a directory scan's unreadable
    /// directories and special files); the summary names them.
    pub unread: Vec<crate::unread::Unread>,
    pub(crate) store: Arc<dyn ContentStore>,
    /// Every path in the resulting tree (index or head commit), for checks that need context.
    pub(crate) tree_paths: OnceLock<Result<Vec<RepoPath>, String>>,
    bytes_read: AtomicU64,
    /// Files read so far (each counted once), for the progress line.
    files_read: AtomicU64,
    /// The content probes of the checks that run, by check id (see [`ContentProbe`]).
    probes: OnceLock<Vec<(&'static str, ContentProbe)>>,
}

impl ChangeSet {
    pub fn new(mode: Mode, root: PathBuf, store: Arc<dyn ContentStore>) -> Self {
        ChangeSet {
            mode,
            root,
            branch: None,
            head_state: HeadState::Branch,
            head: None,
            base: None,
            applied: Vec::new(),
            commits: Vec::new(),
            message: None,
            files: Vec::new(),
            merge_request: None,
            push: Vec::new(),
            remote: None,
            shard: None,
            unread: Vec::new(),
            store,
            tree_paths: OnceLock::new(),
            bytes_read: AtomicU64::new(0),
            files_read: AtomicU64::new(0),
            probes: OnceLock::new(),
        }
    }

    /// A change set with no repository behind it: tests and tools build one by hand and read
    /// content from disk under `root`.
    pub fn from_disk(mode: Mode, root: PathBuf) -> Self {
        ChangeSet::new(mode, root.clone(), Arc::new(DiskStore { root }))
    }

    /// Size of a file's new content in bytes, without reading it.
    pub fn size(&self, file: &ChangedFile) -> Result<u64, Error> {
        if let Some(&n) = file.read.size.get() {
            return Ok(n);
        }
        let n = self
            .store
            .size(&file.source, &file.path)
            .map_err(|e| file.read_error(e))?;
        Ok(*file.read.size.get_or_init(|| n))
    }

    /// Whether `file` is too large to be read whole: [`ChangeSet::windows`] reads it, and
    /// [`ChangeSet::content`] refuses it.
    pub fn is_large(&self, file: &ChangedFile) -> Result<bool, Error> {
        Ok(self.size(file)? > WHOLE_READ_MAX)
    }

    /// The file's new content as UTF-8 text where it has a byte-order mark (UTF-16, UTF-32,
    /// UTF-8 with a BOM: see `encoding.rs`), as stored otherwise. Counts towards the summary's
    /// bytes. Files over [`WHOLE_READ_MAX`] are an I/O error here (checks skip them with a
    /// note); line-by-line checks read them with [`ChangeSet::windows`].
    pub fn content(&self, file: &ChangedFile) -> Result<Cow<'_, [u8]>, Error> {
        match self.content_within(file, WHOLE_READ_MAX)? {
            Some(data) => Ok(data),
            None => Err(too_large_to_read_whole(
                file.path.display(),
                self.size(file)?,
            )),
        }
    }

    /// [`ChangeSet::content`] of a file of at most `max` bytes (and [`WHOLE_READ_MAX`]);
    /// `None`, unread, for a larger one ([`ChangeSet::size`] then knows its size). A file's
    /// size not asked yet comes with its content: one open of a file on disk, not a lookup
    /// of its path and then an open.
    pub fn content_within(
        &self,
        file: &ChangedFile,
        max: u64,
    ) -> Result<Option<Cow<'_, [u8]>>, Error> {
        let max = max.min(WHOLE_READ_MAX);
        let data = match file.read.size.get() {
            Some(&n) if n > max => return Ok(None),
            Some(_) => self.store.read(&file.source, &file.path),
            None => {
                let within = self
                    .store
                    .read_within(&file.source, &file.path, max)
                    .map_err(|e| file.read_error(e))?;
                let _ = file.read.size.set(within.size);
                match within.data {
                    Some(data) => Ok(data),
                    None => return Ok(None),
                }
            }
        }
        .map_err(|e| file.read_error(e))?;
        self.count(file, data.len() as u64);
        let data = match encoding::decode(&data) {
            Cow::Borrowed(b) if b.len() == data.len() => data,
            decoded => Cow::Owned(decoded.into_owned()),
        };
        self.answer_probes(file, &data);
        Ok(Some(data))
    }

    /// Registers the content probes of the checks about to run (once per change set; later
    /// calls are ignored). At most 64.
    pub fn set_probes(&self, probes: Vec<(&'static str, ContentProbe)>) {
        let mut probes = probes;
        probes.truncate(64);
        let _ = self.probes.set(probes);
    }

    /// The answer of check `id`'s content probe for `file`, if a whole read of the file has
    /// given one already.
    pub fn probed(&self, file: &ChangedFile, id: &str) -> Option<bool> {
        let bits = *file.read.probed.get()?;
        let i = self.probes.get()?.iter().position(|(c, _)| *c == id)?;
        Some(bits & (1 << i) != 0)
    }

    fn answer_probes(&self, file: &ChangedFile, data: &[u8]) {
        let Some(probes) = self.probes.get().filter(|p| !p.is_empty()) else {
            return;
        };
        if file.read.probed.get().is_none() {
            let bits = probes
                .iter()
                .enumerate()
                .filter(|(_, (_, probe))| probe(data))
                .fold(0u64, |bits, (i, _)| bits | 1 << i);
            let _ = file.read.probed.set(bits);
        }
    }

    fn count(&self, file: &ChangedFile, bytes: u64) {
        if file.read.counted.set(()).is_ok() {
            self.bytes_read.fetch_add(bytes, Ordering::Relaxed);
            self.files_read.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Reads `file`'s new content in overlapping windows of decoded text (`stream.rs`), for
    /// files of any size: memory stays a few windows' worth. `overlap`: the longest match the
    /// caller looks for across lines.
    pub fn windows(
        &self,
        file: &ChangedFile,
        overlap: usize,
        f: impl FnMut(&Window<'_>) -> Result<Next, Error>,
    ) -> Result<(), Error> {
        let read = self.stream_source(&file.source, &file.path, overlap, f)?;
        self.count(file, read);
        Ok(())
    }

    /// The start of `file`'s text: all of it when it can be read whole, else its first window
    /// (about 8 MiB), for checks that only look at the top of a file (review markers).
    pub fn head(&self, file: &ChangedFile) -> Result<Cow<'_, [u8]>, Error> {
        if !self.is_large(file)? {
            return self.content(file);
        }
        let mut head = Vec::new();
        self.windows(file, 0, |w| {
            head = w.text.to_vec();
            Ok(Next::Stop)
        })?;
        Ok(Cow::Owned(head))
    }

    fn stream_source(
        &self,
        source: &Source,
        path: &RepoPath,
        overlap: usize,
        f: impl FnMut(&Window<'_>) -> Result<Next, Error>,
    ) -> Result<u64, Error> {
        let native = path.display();
        crate::content::stream(&*self.store, source, path, |r| {
            stream::windows(r, overlap, |e| Error::io(native.clone(), e), f)
        })
    }

    /// The lines `file` adds. `new`: the file's content, when the caller has already read it
    /// (saves reading it again if the diff has to be computed). A version too large to read
    /// whole is not diffed and adds no line here: line-by-line checks ask
    /// [`ChangeSet::added_among`] instead.
    pub fn added<'f>(
        &self,
        file: &'f ChangedFile,
        new: Option<&[u8]>,
    ) -> Result<&'f AddedLines, Error> {
        if let Some(known) = file.added.get() {
            return Ok(known);
        }
        let Some(old) = &file.old_blob else {
            return Ok(file.added.0.get_or_init(|| AddedLines::All));
        };
        if self.is_large(file)? || self.blob_size(old)? > WHOLE_READ_MAX {
            return Ok(file.added.0.get_or_init(|| AddedLines::Ranges(Vec::new())));
        }
        let old = self.blob(old).map_err(|e| file.read_error(e))?;
        match new {
            Some(new) => self.added_from(file, &old, new),
            None => self.added_from(file, &old, &self.content(file)?),
        }
    }

    /// Which of `lines` (line numbers of `file` with their [`LineKey`]) `file` adds; `new`: its
    /// content, when the caller holds it whole. Known added lines answer, else a diff where both
    /// versions can be read whole; otherwise, where the file or its old version
    /// is too large to diff, a line is added when no line of the old version has the same text
    /// (one more pass over the old version, holding only the keys asked about). Unlike a diff,
    /// a line moved from elsewhere in the file is not added.
    pub fn added_among(
        &self,
        file: &ChangedFile,
        lines: &[(u32, LineKey)],
        new: Option<&[u8]>,
    ) -> Result<AddedLines, Error> {
        if let Some(known) = file.added.get() {
            return Ok(known.clone());
        }
        let Some(old) = &file.old_blob else {
            return Ok(AddedLines::All);
        };
        if lines.is_empty() {
            return Ok(AddedLines::Ranges(Vec::new()));
        }
        if !self.is_large(file)? && self.blob_size(old)? <= WHOLE_READ_MAX {
            return self.added(file, new).cloned();
        }
        let wanted: HashSet<LineKey> = lines.iter().map(|l| l.1).collect();
        let lengths: HashSet<usize> = wanted.iter().map(|k| k.len).collect();
        let mut present: HashSet<LineKey> = HashSet::new();
        self.stream_source(
            &Source::Blob(old.clone()),
            &file.path,
            0,
            |w: &Window<'_>| {
                for (_, line) in crate::text::lines(&w.text[..w.owned]) {
                    if lengths.contains(&line.len()) {
                        let k = LineKey::of(line);
                        if wanted.contains(&k) {
                            present.insert(k);
                        }
                    }
                }
                Ok(if present.len() == wanted.len() {
                    Next::Stop
                } else {
                    Next::Continue
                })
            },
        )?;
        let mut new: Vec<u32> = lines
            .iter()
            .filter(|(_, k)| !present.contains(k))
            .map(|&(n, _)| n)
            .collect();
        new.sort_unstable();
        new.dedup();
        Ok(AddedLines::Ranges(
            new.into_iter().map(|n| (n, n)).collect(),
        ))
    }

    /// The lines `file` adds, given both versions' content (for callers holding them already).
    pub fn added_from<'f>(
        &self,
        file: &'f ChangedFile,
        old: &[u8],
        new: &[u8],
    ) -> Result<&'f AddedLines, Error> {
        if let Some(known) = file.added.get() {
            return Ok(known);
        }
        let lines = AddedLines::Ranges(self.store.added_ranges(old, new)?);
        Ok(file.added.0.get_or_init(|| lines))
    }

    /// Starts reading `file`'s content ahead of [`ChangeSet::content`], where the store can.
    pub fn prefetch(&self, file: &ChangedFile) {
        self.store.prefetch(&file.source);
    }

    /// Ends what the store started to read content (see [`ContentStore::finish`]): call it
    /// once the checks are done.
    pub fn finish_reads(&self) {
        self.store.finish();
    }

    /// Size of any blob by id.
    pub fn blob_size(&self, id: &str) -> Result<u64, Error> {
        self.store
            .size(&Source::Blob(id.to_owned()), &RepoPath::from(""))
    }

    /// Content of any blob by id (an old version, a base file), decoded like
    /// [`ChangeSet::content`]. The caller makes sure it is not too large to read whole.
    pub fn blob(&self, id: &str) -> Result<Vec<u8>, Error> {
        let data = self
            .store
            .read(&Source::Blob(id.to_owned()), &RepoPath::from(""))?;
        Ok(match encoding::decode(&data) {
            Cow::Borrowed(b) if b.len() == data.len() => data.into_owned(),
            decoded => decoded.into_owned(),
        })
    }

    /// Content of `path` in the base tree (HEAD at commit time, merge-base in ci), if it exists.
    pub fn base_file(&self, path: &RepoPath) -> Result<Option<Vec<u8>>, Error> {
        match &self.base {
            Some(base) => self.file_in(base, path),
            None => Ok(None),
        }
    }

    fn file_in(&self, commit: &str, path: &RepoPath) -> Result<Option<Vec<u8>>, Error> {
        Ok(self
            .store
            .file_at(commit, path)?
            .map(|data| match encoding::decode(&data) {
                Cow::Borrowed(b) if b.len() == data.len() => data,
                decoded => decoded.into_owned(),
            }))
    }

    /// The commits of `applied`, or the base when it names none.
    fn applied_commits(&self) -> &[String] {
        if self.applied.is_empty() {
            self.base.as_slice()
        } else {
            &self.applied
        }
    }

    /// Every path of the published trees (`applied`, else the base).
    pub fn applied_paths(&self) -> Result<HashSet<RepoPath>, Error> {
        let mut out = HashSet::new();
        for c in self.applied_commits() {
            out.extend(self.store.tree_paths(c)?);
        }
        Ok(out)
    }

    /// Content of `path` in the first published tree that has it.
    pub fn applied_file(&self, path: &RepoPath) -> Result<Option<Vec<u8>>, Error> {
        for c in self.applied_commits() {
            if let Some(data) = self.file_in(c, path)? {
                return Ok(Some(data));
            }
        }
        Ok(None)
    }

    /// Every path of the base tree (to compare new files with what already exists).
    pub fn base_paths(&self) -> Result<Vec<RepoPath>, Error> {
        match &self.base {
            Some(base) => self.store.tree_paths(base),
            None => Ok(Vec::new()),
        }
    }

    /// Every path of the tree that results from the change (index, head commit or directory).
    pub fn tree_paths(&self) -> Result<&[RepoPath], Error> {
        let r = self.tree_paths.get_or_init(|| {
            let mut paths: Vec<RepoPath> = match &self.head {
                _ if self.mode == Mode::Scan => self.files.iter().map(|f| f.path.clone()).collect(),
                Some(head) if !matches!(self.mode, Mode::PreCommit | Mode::AllFiles) => {
                    self.store.tree_paths(head).map_err(|e| e.to_string())?
                }
                _ => self.store.index_paths().map_err(|e| e.to_string())?,
            };
            paths.sort();
            paths.dedup();
            Ok(paths)
        });
        r.as_deref().map_err(|e| Error::Git(e.clone()))
    }

    /// The paths of `commit`'s tree that equal one of `paths`, or a directory of one, but for
    /// case: what a path that commit adds can clash with.
    pub fn case_variants_at(
        &self,
        commit: &str,
        paths: &[&[u8]],
    ) -> Result<HashSet<Vec<u8>>, Error> {
        self.store.case_variants(commit, paths)
    }

    /// Keeps only the files `shard` owns and remembers the shard for filtering findings.
    pub fn apply_shard(&mut self, shard: Option<Shard>) {
        if let Some(s) = shard {
            self.files.retain(|f| s.owns_path(f.path.as_bytes()));
        }
        self.shard = shard;
    }

    pub fn commit(&self, id: &str) -> Option<&Commit> {
        self.commits.iter().find(|c| c.id == id)
    }

    /// How many files have content a check may read (the progress line's total).
    pub fn files_to_read(&self) -> u64 {
        self.files
            .iter()
            .filter(|f| f.status.has_content() && !f.is_symlink && !f.added.is_known_empty())
            .count() as u64
    }

    /// Files whose content has been read so far, each counted once.
    pub fn files_read(&self) -> u64 {
        self.files_read.load(Ordering::Relaxed)
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_whole_read_answers_every_probe_for_the_next_reader() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), "has x\n").expect("write");
        std::fs::write(dir.path().join("b.txt"), "has y\n").expect("write");
        let mut cs = ChangeSet::from_disk(Mode::Scan, dir.path().to_path_buf());
        cs.files = ["a.txt", "b.txt"]
            .map(|p| ChangedFile::on_disk(RepoPath::from(p)))
            .to_vec();
        cs.set_probes(vec![
            ("first", |d: &[u8]| d.contains(&b'x')),
            ("second", |d: &[u8]| d.contains(&b'y')),
        ]);
        let (a, b) = (&cs.files[0], &cs.files[1]);
        assert_eq!(cs.probed(a, "first"), None, "nothing read yet");
        cs.content(a).expect("read a");
        cs.content(b).expect("read b");
        assert_eq!(cs.probed(a, "first"), Some(true));
        assert_eq!(cs.probed(a, "second"), Some(false));
        assert_eq!(cs.probed(b, "first"), Some(false));
        assert_eq!(cs.probed(b, "second"), Some(true));
        assert_eq!(cs.probed(a, "unregistered"), None);
    }
}
