//! The scanning engine: one ASCII-case-insensitive Aho-Corasick pass over all rules' keywords
//! tells which rules can match and where; only those rules' regexes run, and only on the lines
//! around their keyword hits (or the whole file for `scope = "file"` rules). The captured secret
//! then goes through the rule's entropy minimum, the placeholder filter and allow-lists.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;

use super::dialect::{self, Dialect};
use super::rules::{Context, Rule, RuleSpec, Scope};
use super::{
    assignment, checksum_files, decoded, doc_files, filter, interleaved, names, placeholder,
    spec_examples, test_files,
};
use crate::finding::Fnv64;
use crate::text;

/// One secret found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index into `Engine::rules`.
    pub rule: usize,
    /// Byte range of the secret.
    pub start: usize,
    pub end: usize,
    /// Where the rule's whole match starts (a key's BEGIN line, before the secret).
    pub match_start: usize,
    /// 1-based line and column (in characters) of the secret's first byte, and its last line.
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
}

pub struct Engine {
    pub rules: Vec<Rule>,
    ac: Keywords,
    /// For each keyword pattern, the rules it triggers.
    triggers: Vec<Vec<u32>>,
    /// The keywords of `scope = "file"` rules alone, with their rules: when only part of a file
    /// is scanned (history), such a rule's keyword may lie in the lines around that part
    /// (`twilio` above the `SK…` key added; the `BEGIN` line of a key whose body changed).
    file_ac: Keywords,
    file_triggers: Vec<Vec<u32>>,
    /// Rules without keywords: they run on every file their `paths` select (`.pgpass` lines
    /// and a Rails master key hold no word to look for).
    path_rules: Vec<u32>,
    /// Global allow-list on secrets (from `[secrets] allow_regexes`).
    allow: Vec<Regex>,
    /// See [`Engine::window`]; computed when a file is first streamed.
    window: OnceLock<usize>,
    /// What is reported in test sources (`[secrets] test_files`).
    pub test_files: test_files::TestFiles,
}

impl Engine {
    /// Builds the keyword automaton (regexes are compiled later, on first use).
    /// `large`: many bytes will be scanned, so a DFA (slower to build, a few ms, faster to run)
    /// pays off; a hook judging a handful of files wants the NFA, the quickest to build.
    pub fn new(specs: Vec<RuleSpec>, allow: Vec<Regex>, large: bool) -> Engine {
        let rules: Vec<Rule> = specs.into_iter().map(Rule::new).collect();
        let (keywords, triggers) = keywords_of(&rules, |_| true);
        let kind = if large {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::NoncontiguousNFA
        };
        let ac = Keywords::new(keywords, kind, MatchKind::Standard);
        let (file_keywords, file_triggers) = keywords_of(&rules, |r| r.spec.scope == Scope::File);
        // Only their presence matters: see `Keywords::presence`.
        let file_ac = Keywords::presence(file_keywords, kind);
        let path_rules = (0..rules.len() as u32)
            .filter(|&i| {
                let s = &rules[i as usize].spec;
                s.keywords.is_empty() && !s.paths.is_empty()
            })
            .collect();
        Engine {
            rules,
            ac,
            triggers,
            file_ac,
            file_triggers,
            path_rules,
            allow,
            window: OnceLock::new(),
            test_files: test_files::TestFiles::default(),
        }
    }

    /// How far the windows of a file streamed in pieces must overlap for every match to lie
    /// whole in one of them: the longest match of a multi-line (file-scoped) rule. Line-scoped
    /// rules match within a line, and windows are cut at line ends.
    pub fn window(&self) -> usize {
        *self.window.get_or_init(|| {
            self.rules
                .iter()
                .filter(|r| r.spec.scope == Scope::File)
                .map(Rule::max_len)
                .max()
                .unwrap_or(0)
        })
    }

    /// Every secret in one window of a streamed file (`stream.rs`), positions and lines within
    /// `data`. `file_rules`: the file-scoped rules whose keyword an earlier window held; they
    /// stay on for the rest of the file (a keyword may name the provider well above the key),
    /// and this window's are added.
    pub fn scan_window(&self, path: &[u8], data: &[u8], file_rules: &mut Vec<u32>) -> Vec<Hit> {
        self.scan_with(
            path,
            data,
            std::slice::from_ref(&(0..data.len())),
            file_rules,
        )
    }

    /// Every secret in `data`, in order. `path` selects path-restricted rules.
    pub fn scan(&self, path: &[u8], data: &[u8]) -> Vec<Hit> {
        self.scan_lines(path, data, 0..data.len())
    }

    /// Every secret within `region` of `data`, which must start and end on line boundaries;
    /// hits carry positions and line numbers in the whole of `data`. File-scoped rules (keys
    /// across lines, manifests) also read the 64 lines around `region`, and their keyword may
    /// be there, so a hit can reach outside `region`.
    pub fn scan_lines(&self, path: &[u8], data: &[u8], region: Range<usize>) -> Vec<Hit> {
        self.scan_with(path, data, std::slice::from_ref(&region), &mut Vec::new())
    }

    /// [`Engine::scan_lines`] over several regions of `data`, in order and apart.
    pub fn scan_regions(&self, path: &[u8], data: &[u8], regions: &[Range<usize>]) -> Vec<Hit> {
        self.scan_with(path, data, regions, &mut Vec::new())
    }

    fn scan_with(
        &self,
        path: &[u8],
        data: &[u8],
        regions: &[Range<usize>],
        file_rules: &mut Vec<u32>,
    ) -> Vec<Hit> {
        if self.ac.words.is_empty() || regions.is_empty() {
            return Vec::new();
        }
        // (rule, window start, window end) for line-scoped rules; file-scoped rules get one
        // window around each region.
        let mut windows: Vec<(u32, usize, usize)> = Vec::new();
        let mut line = (usize::MAX, 0usize);
        // Decided once per file, and only when a rule judging names has something to judge.
        let mut config_dialect: Option<Option<Dialect>> = None;
        for region in regions {
            let base = region.start;
            for (pattern, s, e) in self.ac.every_match(&data[region.clone()]) {
                let (s, e) = (base + s, base + e);
                for &r in &self.triggers[pattern] {
                    let spec = &self.rules[r as usize].spec;
                    // A config rule has nothing to do outside configuration files.
                    if spec.context == Context::Config
                        && config_dialect
                            .get_or_insert_with(|| dialect::of_file(path, data))
                            .is_none()
                    {
                        continue;
                    }
                    if spec.scope == Scope::File {
                        if !file_rules.contains(&r) {
                            file_rules.push(r);
                        }
                        continue;
                    }
                    if !(line.0 <= s && e <= line.1) {
                        line = line_bounds(data, s, e);
                    }
                    windows.push((r, line.0, line.1));
                }
            }
        }
        // File-scoped rules match across lines: they read the whole file, or when only part of
        // it is new, that part and enough lines around it for a key block or a manifest.
        let file_windows = merged_around(data, regions, FILE_CONTEXT_LINES);
        for w in file_windows.iter().filter(|w| !regions.contains(w)) {
            for pattern in self.file_ac.present(&data[w.clone()]) {
                for &r in &self.file_triggers[pattern] {
                    if !file_rules.contains(&r) {
                        file_rules.push(r);
                    }
                }
            }
        }
        // Rules that fire on a file's name alone; a message (empty path) has none.
        for &r in self.path_rules.iter().filter(|_| !path.is_empty()) {
            if self.rules[r as usize].wants_path(path) {
                windows.extend(regions.iter().map(|g| (r, g.start, g.end)));
            }
        }
        if windows.is_empty() && file_rules.is_empty() {
            return Vec::new();
        }
        for &r in file_rules.iter() {
            windows.extend(file_windows.iter().map(|w| (r, w.start, w.end)));
        }
        windows.sort_unstable();
        windows.dedup();
        let mut hits = Vec::new();
        let mut i = 0;
        while i < windows.len() {
            let r = windows[i].0;
            let mut j = i;
            while j < windows.len() && windows[j].0 == r {
                j += 1;
            }
            let rule = &self.rules[r as usize];
            // Whether a secret-ish name's value is judged as in a config file.
            let dialect = match rule.spec.context {
                Context::None => None,
                _ => *config_dialect.get_or_insert_with(|| dialect::of_file(path, data)),
            };
            match (rule.spec.context, dialect, rule.regex()) {
                (_, _, None) => {}
                (Context::Config, Some(d), Some(re)) => {
                    for &(_, ws, we) in &windows[i..j] {
                        self.run_config_rule(r as usize, rule, re, d, data, ws..we, &mut hits);
                    }
                }
                (Context::Config, None, _) => {}
                (_, _, Some(re)) if rule.wants_path(path) => {
                    // Named a config file: a `.txt` file read as one by its content is still
                    // judged as text by the other rules.
                    let in_config = dialect.is_some() && dialect::of(path).is_some()
                        || dialect::is_template(path);
                    let mut covered = 0usize;
                    for &(_, ws, we) in &windows[i..j] {
                        if we <= covered {
                            continue;
                        }
                        let ws = ws.max(covered);
                        self.run_rule(r as usize, rule, re, data, (ws, we), in_config, &mut hits);
                        covered = we;
                    }
                }
                _ => {}
            }
            i = j;
        }
        let mut hits = self.finish(data, hits);
        // A lock file's content hashes, keyed by message ids that name secrets' labels.
        if let Some(block) = hits
            .first()
            .and_then(|_| checksum_files::checksum_block(data))
        {
            hits.retain(|h| !checksum_files::is_digest_entry(data, &block, &(h.start..h.end)));
        }
        if let Some(markup) = doc_files::markup(path) {
            self.drop_examples(data, markup, &mut hits);
        } else if hits.iter().any(|h| self.is_loose(h))
            && spec_examples::is_yaml_api_spec(path, data)
        {
            // Descriptions in a spec are CommonMark: their fenced blocks are examples too.
            let blocks = doc_files::code_blocks(data, doc_files::Markup::Markdown);
            hits.retain(|h| {
                !(self.is_loose(h)
                    && (spec_examples::in_example(data, h.start)
                        || blocks.iter().any(|b| b.contains(&h.start))))
            });
        }
        if self.test_files == test_files::TestFiles::Precise && test_files::is_test_path(path) {
            hits.retain(|h| {
                !self.is_loose(h)
                    && !test_files::LOOSE_IN_TESTS.contains(&self.rules[h.rule].spec.id.as_str())
            });
        }
        hits
    }

    /// Does the hit's rule judge a value by its name or surroundings rather than by a
    /// provider's format? Those hits are dropped in sample requests and responses.
    fn is_loose(&self, h: &Hit) -> bool {
        let spec = &self.rules[h.rule].spec;
        // Decoded credentials are judged by what they encode, as precisely as a token's shape.
        !matches!(spec.context, Context::None | Context::BasicAuth)
            || doc_files::LOOSE_RULES.contains(&spec.id.as_str())
    }

    /// In a documentation page, drops the hits of rules that judge a value by its name or
    /// surroundings when they lie in a code block: request and response examples.
    fn drop_examples(&self, data: &[u8], markup: doc_files::Markup, hits: &mut Vec<Hit>) {
        if !hits.iter().any(|h| self.is_loose(h)) {
            return;
        }
        let blocks = doc_files::code_blocks(data, markup);
        hits.retain(|h| !(self.is_loose(h) && blocks.iter().any(|b| b.contains(&h.start))));
    }

    #[allow(clippy::too_many_arguments)]
    fn run_rule(
        &self,
        idx: usize,
        rule: &Rule,
        re: &Regex,
        data: &[u8],
        (ws, we): (usize, usize),
        in_config: bool,
        hits: &mut Vec<Hit>,
    ) {
        let group = rule.spec.secret_group;
        for caps in re.captures_iter(&data[ws..we]) {
            // Without an explicit group, the first group that took part (alternatives), else the match.
            let m = match group {
                Some(g) => caps.get(g),
                None => caps.iter().skip(1).flatten().next().or_else(|| caps.get(0)),
            };
            let Some(m) = m else { continue };
            let secret = m.as_bytes();
            let (start, end) = (ws + m.start(), ws + m.end());
            let rejected = match rule.spec.context {
                Context::None => false,
                Context::Literal => {
                    let at = ws + caps.get(0).map_or(m.start(), |w| w.start());
                    filter::looks_like_code(data, start, end)
                        || names::is_ordinary_name(names::name_at(data, at))
                        || filter::in_arn(data, at)
                }
                Context::UrlPassword => filter::is_example_url_password(data, start, end),
                Context::Config => false,
                Context::BasicAuth => !decoded::is_leaked_basic_auth(secret),
            };
            if rejected {
                continue;
            }
            if !self.is_secret(rule, secret)
                || placeholder::is_named_after(names::key_before(data, start), secret)
            {
                continue;
            }
            // Searches the file for the value: only for a value that passed the other tests.
            if rule.spec.context == Context::Literal
                && assignment::is_dev_default_value(
                    data,
                    names::key_before(data, start),
                    start..end,
                )
            {
                continue;
            }
            // In a configuration file or a template of one (`cloudflare.ini.example`), runs of the
            // alphabet or the digits (`abcdef123456`) stand in for a value, as the config rule
            // judges them.
            if in_config && placeholder::is_sequence(&secret.to_ascii_lowercase()) {
                continue;
            }
            hits.push(Hit {
                rule: idx,
                start: ws + m.start(),
                end: ws + m.end(),
                match_start: ws + caps.get(0).map_or(m.start(), |w| w.start()),
                line: 0,
                column: 0,
                end_line: 0,
            });
        }
    }

    /// A config rule over one window: each match of its regex is a secret word; the key around
    /// it and the literal it is given are read by `assignment.rs`.
    #[allow(clippy::too_many_arguments)]
    fn run_config_rule(
        &self,
        idx: usize,
        rule: &Rule,
        re: &Regex,
        dialect: Dialect,
        data: &[u8],
        window: Range<usize>,
        hits: &mut Vec<Hit>,
    ) {
        let mut judged_to = window.start;
        for m in re.find_iter(&data[window.clone()]) {
            let at = window.start + m.start();
            if at < judged_to {
                continue; // another secret word of a key already judged (`secret_token`)
            }
            let Some(a) = assignment::at(data, at, dialect) else {
                continue;
            };
            // Words inside the value (`arn:…:secret:api-token`) name no key of their own.
            judged_to = a.value.end.max(a.name.end);
            if !assignment::is_leak(data, &a)
                || !self.is_secret(rule, &data[a.value.clone()])
                || assignment::is_dev_default(data, &a)
            {
                continue;
            }
            if hits
                .iter()
                .rev()
                .take(8)
                .any(|h| h.rule == idx && h.start == a.value.start)
            {
                continue; // the same line seen through an overlapping window
            }
            hits.push(Hit {
                rule: idx,
                start: a.value.start,
                end: a.value.end,
                match_start: a.name.start,
                line: 0,
                column: 0,
                end_line: 0,
            });
        }
    }

    fn is_secret(&self, rule: &Rule, secret: &[u8]) -> bool {
        if let Some(min) = rule.spec.entropy {
            if filter::entropy(secret) < min {
                return false;
            }
        }
        if placeholder::is_placeholder(secret) {
            return false;
        }
        // A Secret manifest's `data:` holds base64; it is judged by what it encodes.
        if rule.spec.id == "kubernetes-secret" && placeholder::is_encoded_placeholder(secret) {
            return false;
        }
        // Base64 of `user:${PASSWORD}` is a placeholder pair, whichever rule found it.
        if decoded::is_encoded_stand_in_pair(secret) {
            return false;
        }

        if rule.spec.strict && !filter::looks_random(secret) {
            return false;
        }
        !rule.allows(secret) && !self.allow.iter().any(|a| a.is_match(secret))
    }

    /// Orders hits, drops duplicates and generic hits that a provider rule also found, and fills
    /// in line numbers.
    fn finish(&self, data: &[u8], mut hits: Vec<Hit>) -> Vec<Hit> {
        // Among generic rules on one value, a config file's own rule speaks first: its message
        // says how a config file is judged.
        hits.sort_by_key(|h| {
            let rule = &self.rules[h.rule];
            (
                h.start,
                rule.generic,
                rule.spec.context != Context::Config,
                h.end,
            )
        });
        let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            let overlaps = |o: &Hit| o.start < h.end && h.start < o.end;
            if let Some(prev) = out.iter().rev().take(4).find(|o| overlaps(o)) {
                let prev_generic = self.rules[prev.rule].generic;
                let this_generic = self.rules[h.rule].generic;
                if this_generic || !prev_generic {
                    continue;
                }
                // A provider rule beats a generic one on the same secret.
                out.retain(|o| !(overlaps(o) && self.rules[o.rule].generic));
            }
            out.push(h);
        }
        out.sort_by_key(|h| h.start);
        let (mut pos, mut line, mut line_start) = (0usize, 1u32, 0usize);
        for h in &mut out {
            for i in memchr::memchr_iter(b'\n', &data[pos..h.start]) {
                line += 1;
                line_start = pos + i + 1;
            }
            pos = h.start;
            h.line = line;
            h.column = text::char_count(&data[line_start..h.start]) as u32 + 1;
            h.end_line = line + memchr::memchr_iter(b'\n', &data[h.start..h.end]).count() as u32;
        }
        out
    }
}

/// Lines around a changed part that a file-scoped rule reads: a 4096-bit PEM key is 51 lines.
const FILE_CONTEXT_LINES: usize = 64;

/// `regions` (in order, apart) each widened by `lines` whole lines on each side, overlapping
/// ones merged.
fn merged_around(data: &[u8], regions: &[Range<usize>], lines: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(regions.len());
    for r in regions {
        let w = around(data, r, lines);
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

/// `region` widened by `lines` whole lines on each side.
fn around(data: &[u8], region: &Range<usize>, lines: usize) -> Range<usize> {
    let start = memchr::memrchr_iter(b'\n', &data[..region.start])
        .nth(lines)
        .map_or(0, |i| i + 1);
    // `region` ends at a line start (or the end): the first newline after it ends one line.
    let end = memchr::memchr_iter(b'\n', &data[region.end..])
        .nth(lines.saturating_sub(1))
        .map_or(data.len(), |i| region.end + i + 1);
    start..end
}

/// The distinct lower-case keywords of the rules `wanted` selects, and for each the rules it
/// triggers (indexes into `rules`).
fn keywords_of(rules: &[Rule], wanted: impl Fn(&Rule) -> bool) -> (Vec<String>, Vec<Vec<u32>>) {
    let mut keywords: Vec<String> = Vec::new();
    let mut triggers: Vec<Vec<u32>> = Vec::new();
    // Keywords are short: FNV hashes them in a few instructions, SipHash cost more than the
    // rest of building the engine for a message. The built-in ones are lower case already.
    let mut index: HashMap<Cow<'_, str>, usize, BuildHasherDefault<Fnv64>> = HashMap::default();
    for (i, r) in rules.iter().enumerate().filter(|(_, r)| wanted(r)) {
        for k in &r.spec.keywords {
            let k = if k.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(k.to_ascii_lowercase())
            } else {
                Cow::Borrowed(k.as_str())
            };
            match index.get(&k) {
                Some(&p) => triggers[p].push(i as u32),
                None => {
                    keywords.push(k.clone().into_owned());
                    index.insert(k, keywords.len() - 1);
                    triggers.push(vec![i as u32]);
                }
            }
        }
    }
    (keywords, triggers)
}

/// Inputs up to this size are searched for keywords one keyword at a time: building the
/// automaton (about 1 ms for 300 keywords) costs more than that search over a commit message.
const SMALL_INPUT: usize = 1024;

/// The keywords of a set of rules, ASCII-case-insensitive. Their automaton is built on the
/// first input larger than [`SMALL_INPUT`], so commit-msg never builds it.
struct Keywords {
    words: Vec<String>,
    kind: AhoCorasickKind,
    semantics: MatchKind,
    /// Searched in a lower-cased copy of the input by a case-sensitive automaton.
    folded: bool,
    ac: OnceLock<Option<AhoCorasick>>,
    /// The DFA that [`Keywords::every_match`] steps itself (see `interleaved.rs`).
    dfa: OnceLock<Option<DFA>>,
}

thread_local! {
    /// The lower-cased copy a folded search reads, kept to spare an allocation per file.
    static FOLDED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Keywords {
    fn new(words: Vec<String>, kind: AhoCorasickKind, semantics: MatchKind) -> Keywords {
        Keywords {
            words,
            kind,
            semantics,
            folded: false,
            ac: OnceLock::new(),
            dfa: OnceLock::new(),
        }
    }

    /// Keywords whose presence alone is asked ([`Keywords::present`]). aho-corasick turns its
    /// SIMD prefilter (Teddy) off for case-insensitive search, and without it these few
    /// keywords were searched a byte at a time: a third of a history scan's own CPU. So the
    /// input is lower-cased (ASCII only, as the case-insensitive search folds) and searched
    /// case-sensitively and leftmost-first, which the prefilter needs. (The many keywords of
    /// the main search are past what the prefilter takes; folding did not speed them up.)
    fn presence(words: Vec<String>, kind: AhoCorasickKind) -> Keywords {
        Keywords {
            folded: true,
            ..Keywords::new(words, kind, MatchKind::LeftmostFirst)
        }
    }

    fn automaton(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| keyword_automaton(&self.words, self.kind, self.semantics, !self.folded))
            .as_ref()
    }

    /// Small inputs: every occurrence of every keyword, overlapping ones included, as
    /// `(keyword, start, end)` — the same set the automaton's overlapping search reports.
    fn small_matches(&self, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let lower = hay.to_ascii_lowercase();
        let mut out = Vec::new();
        for (i, w) in self.words.iter().enumerate() {
            let w = w.as_bytes();
            let Some(&first) = w.first() else {
                // The empty keyword occurs at every position, the end included.
                out.extend((0..=lower.len()).map(|at| (i, at, at)));
                continue;
            };
            // Each place the first byte occurs, compared in place: building a substring
            // searcher per keyword cost more than the search itself over a short text.
            for at in memchr::memchr_iter(first, &lower) {
                if lower[at..].starts_with(w) {
                    out.push((i, at, at + w.len()));
                }
            }
        }
        out
    }

    /// Every occurrence of every keyword in `hay` (Standard semantics, overlapping).
    fn every_match<'h>(
        &'h self,
        hay: &'h [u8],
    ) -> Box<dyn Iterator<Item = (usize, usize, usize)> + 'h> {
        let steps_dfa = self.kind == AhoCorasickKind::DFA && self.semantics == MatchKind::Standard;
        let built = if steps_dfa {
            self.dfa.get().is_some()
        } else {
            self.ac.get().is_some()
        };
        if hay.len() <= SMALL_INPUT && !built {
            return Box::new(self.small_matches(hay).into_iter());
        }
        if steps_dfa {
            if let Some(dfa) = self.dfa.get_or_init(|| interleaved::automaton(&self.words)) {
                return Box::new(interleaved::every_match(dfa, hay).into_iter());
            }
        }
        match self.automaton() {
            Some(ac) => Box::new(
                ac.find_overlapping_iter(hay)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
            ),
            None => Box::new(std::iter::empty()),
        }
    }

    /// The keywords `hay` holds at least once (each reported at least once).
    fn present(&self, hay: &[u8]) -> Vec<usize> {
        if hay.len() <= SMALL_INPUT && self.ac.get().is_none() {
            let mut found: Vec<usize> = self.small_matches(hay).iter().map(|m| m.0).collect();
            found.dedup();
            return found;
        }
        let Some(ac) = self.automaton() else {
            return Vec::new();
        };
        if !self.folded {
            return ac.find_iter(hay).map(|m| m.pattern().as_usize()).collect();
        }
        FOLDED.with(|buf| {
            let mut lower = buf.borrow_mut();
            lower.clear();
            lower.extend_from_slice(hay);
            lower.make_ascii_lowercase();
            ac.find_iter(&lower[..])
                .map(|m| m.pattern().as_usize())
                .collect()
        })
    }
}

/// One ASCII-case-insensitive automaton over `keywords` (none if there are none).
fn keyword_automaton(
    keywords: &[String],
    kind: AhoCorasickKind,
    semantics: MatchKind,
    case_insensitive: bool,
) -> Option<AhoCorasick> {
    if keywords.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(case_insensitive)
        .match_kind(semantics)
        .kind(Some(kind))
        .build(keywords)
        .ok()
}

/// The start and end (exclusive, without the newline) of the lines holding `s..e`.
pub fn line_bounds(data: &[u8], s: usize, e: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &data[..s]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &data[e..]).map_or(data.len(), |i| e + i);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_inputs_find_the_same_keywords_as_the_automaton() {
        let words: Vec<String> = ["key", "apikey", "aa", "token", "secret_key"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let texts: [&[u8]; 4] = [
            b"APIKEY=1 api_key token TOKEN",
            b"aaaa secret_key=x key",
            b"nothing here",
            "é key é APIKey".as_bytes(),
        ];
        for text in texts {
            let small = Keywords::new(
                words.clone(),
                AhoCorasickKind::NoncontiguousNFA,
                MatchKind::Standard,
            );
            let mut naive = small.small_matches(text);
            let big = Keywords::new(words.clone(), AhoCorasickKind::DFA, MatchKind::Standard);
            let mut full: Vec<_> = big
                .automaton()
                .unwrap()
                .find_overlapping_iter(text)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            naive.sort();
            full.sort();
            assert_eq!(naive, full, "{}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn folded_presence_finds_what_case_insensitive_search_finds() {
        let words: Vec<String> = ["private key", "kind: secret", "twilio", "machine"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        // Longer than SMALL_INPUT, so the automaton is used.
        let pad = "x".repeat(SMALL_INPUT);
        let texts = [
            format!("{pad}-----BEGIN RSA PRIVATE KEY-----\nKind: Secret\n"),
            format!("é{pad}TwIlIo MACHINE é"),
            format!("{pad}private_key kind:secret nothing"),
        ];
        for text in &texts {
            let folded = Keywords::presence(words.clone(), AhoCorasickKind::DFA);
            let mut got = folded.present(text.as_bytes());
            let plain =
                keyword_automaton(&words, AhoCorasickKind::DFA, MatchKind::LeftmostFirst, true)
                    .unwrap();
            let mut want: Vec<usize> = plain
                .find_iter(text.as_bytes())
                .map(|m| m.pattern().as_usize())
                .collect();
            got.sort();
            got.dedup();
            want.sort();
            want.dedup();
            assert_eq!(got, want, "{text}");
        }
        let folded = Keywords::presence(words, AhoCorasickKind::DFA);
        assert_eq!(folded.present(texts[1].as_bytes()).len(), 2);
    }
    use crate::checks::secrets::rules::builtin_specs;

    fn engine() -> Engine {
        Engine::new(builtin_specs().to_vec(), Vec::new(), true)
    }

    /// The rules that find something in `text`, in a file of no known kind (a `.txt` file of
    /// settings would be read as a config file).
    fn rules_found(text: &str) -> Vec<String> {
        let e = engine();
        e.scan(b"notes", text.as_bytes())
            .iter()
            .map(|h| e.rules[h.rule].spec.id.clone())
            .collect()
    }

    #[test]
    fn a_config_file_is_judged_by_the_config_rule_and_code_by_the_code_rule() {
        let e = engine();
        let ids = |path: &str, text: &str| -> Vec<String> {
            e.scan(path.as_bytes(), text.as_bytes())
                .iter()
                .map(|h| e.rules[h.rule].spec.id.clone())
                .collect()
        };
        let line = "password=\"Qv!dr4wnSky7ark\"\n";
        assert_eq!(ids(".my.cnf", line), vec!["config-password"]);
        assert_eq!(
            ids("src/mailer.php", line),
            vec!["generic-password-symbols"]
        );
    }

    #[test]
    fn provider_tokens() {
        let gh = format!(
            "token = \"ghp_{}\"\n",
            "Zx81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD"
        );
        assert_eq!(rules_found(&gh), vec!["github-pat"]);
        let aws = format!("id = {}{}\n", "AKIA", "Q3EGRT5JYHMPLW7K");
        assert_eq!(rules_found(&aws), vec!["aws-access-key-id"]);
    }

    #[test]
    fn placeholders_are_not_secrets() {
        for t in [
            "token = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
            "password = \"${DB_PASSWORD}\"",
            "api_key: {{ .Values.apiKey }}",
            "secret = os.environ[\"SECRET\"]",
            "token = process.env.TOKEN",
            "password = \"changeme\"",
            "api_key = \"<your-api-key>\"",
        ] {
            assert!(rules_found(t).is_empty(), "{t}: {:?}", rules_found(t));
        }
    }

    /// A Basic header is judged decoded, by its own rule (which says it was base64), not by
    /// the header rule that judges any random-looking value.
    #[test]
    fn basic_credentials_are_judged_decoded() {
        // base64 of `deploy:Wq4nZr8Lk2Vt` and of `deploy:${API_PASSWORD}`.
        let literal = ["ZGVwbG95Oldx", "NG5acjhMazJWdA=="].concat();
        let header = format!("Authorization: Basic {literal}\n");
        assert_eq!(rules_found(&header), vec!["basic-auth-header"]);
        let stand_in = "Authorization: Basic ZGVwbG95OiR7QVBJX1BBU1NXT1JEfQ==\n";
        assert!(
            rules_found(stand_in).is_empty(),
            "{:?}",
            rules_found(stand_in)
        );
    }

    #[test]
    fn generic_assignment() {
        assert_eq!(
            rules_found("DB_PASSWORD = \"q8Vd2kLz9WmX4pTb\"\n"),
            vec!["generic-secret"]
        );
        assert!(rules_found("password = \"password\"\n").is_empty());
    }

    #[test]
    fn code_that_only_looks_like_an_assignment_of_a_secret() {
        for t in [
            "\"first_key\": \"9E858021-953F-4DD3-8842-F2C782780422\",",
            "SIOCSIFNETMASK                = -0x7fd796ea",
            "    private getOrCreateScriptInfoAndAttachToProject;",
            "\"sec-websocket-key\": \"dGhlIHNhbXBsZSBub25jZQ==\",",
            "CertIssuerPublicKey: \"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmC1n2c7N9xR4\"",
            "\"identitytoken\": \"9cbaf023786cd7...\"",
            "Key: \"network1.table1\",",
            "arn:aws:ecs:us-west-2:123456789012:task/ec2-awsvpc-cluster/task-ec2-awsvpc",
            "// \"arn:aws:secretsmanager:us-east-1:123456789012:secret:SecretName-6RandomCharacters\"",
            "            private removeRootOfInferredProjectIfNowPartOfOtherProject;",
        ] {
            assert!(rules_found(t).is_empty(), "{t}: {:?}", rules_found(t));
        }
        for t in [
            "api_key = \"q8Vd2kLz9WmX4pTb7\"\n",
            "unlockKey = \"SWMKEY-1-y6guTZNTwpQeTL5RhUfOsdBdXoQjiB2GADHSRJvbXeE\"\n",
            "stripe_sk: 'Zq81kQ2mN4pL7vR0sT9w'\n",
            "  secret_key_base: e0ef5744b10d988669be6b2660c259749779964f3dcb487fd6199743b3558e2d\n",
        ] {
            assert_eq!(rules_found(t), vec!["generic-secret"], "{t}");
        }
    }

    #[test]
    fn url_passwords_that_are_not_leaks() {
        assert!(
            rules_found("DATABASE_URL: postgres://postgres:postgres@localhost:5432").is_empty()
        );
        assert!(rules_found("'https://untrusted.com:80?@trusted.com/' => 1").is_empty());
        // Stand-in pairs, as tests and templates write them.
        for url in [
            "ENV[\"DATABASE_URL\"] = \"postgresql://foo:bar@localhost:9000/foo_test\"",
            "yield [false, 'somethingElse://foo:bar@bsky.social'];",
            "#   CACHE_DATABASE_URL=\"postgres://cacheuser:cachepass@localhost/cachedatabase\"",
        ] {
            assert!(rules_found(url).is_empty(), "{url}: {:?}", rules_found(url));
        }
        assert_eq!(
            rules_found("url = postgresql://user:s3cr3tPw@db.internal:5433\n"),
            vec!["url-credentials"]
        );
    }

    #[test]
    fn a_changed_part_is_judged_with_the_lines_around_it() {
        let e = engine();
        let text = format!(
            "# twilio settings\nregion = us1\nkey = {}{}\n",
            "SK", "3f9a8b7c6d5e4f30a1b2c3d4e5f60718"
        );
        let start = text.find("key =").expect("line");
        let hits = e.scan_lines(b"cfg.ini", text.as_bytes(), start..text.len());
        let ids: Vec<&str> = hits
            .iter()
            .map(|h| e.rules[h.rule].spec.id.as_str())
            .collect();
        assert_eq!(ids, vec!["twilio-api-key"]);
        assert_eq!(hits[0].line, 3);
        // A key whose body changed between its unchanged BEGIN and END lines.
        let body = "MIIEowIBAAKCAQEAn6O8li0SX4m98LLYtPKSzEmQ2ZBD7Loh9P13f4yQ92EF3yxR5Ms";
        let pem = format!(
            "-----BEGIN RSA {k}-----\n{body}\n{body}\n-----END RSA {k}-----\n",
            k = "PRIVATE KEY"
        );
        let (s, t) = (
            pem.find(body).expect("body"),
            pem.rfind("-----END").expect("end"),
        );
        let hits = e.scan_lines(b"k.pem", pem.as_bytes(), s..t);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(e.rules[hits[0].rule].spec.id, "private-key");
    }

    #[test]
    fn a_secret_manifest_is_judged_by_its_values() {
        let manifest = |v: &str| {
            format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {v}\n")
        };
        assert!(rules_found(&manifest("cGFzc3dvcmQ=")).is_empty());
        assert!(rules_found(&manifest("<base64-password>")).is_empty());
        // Base64 of words ("hush hush hush") is a test's filler.
        assert!(rules_found(&manifest("aHVzaCBodXNoIGh1c2gK")).is_empty());
        assert_eq!(
            rules_found(&manifest("V2ludGVyMjAyNCFkYg==")),
            vec!["kubernetes-secret"]
        );
    }

    /// An OpenAPI spec's `example:` values are samples, judged by provider formats only.
    #[test]
    fn api_spec_examples_are_judged_by_provider_formats_only() {
        let e = engine();
        let token = ["ghp_", "Zx81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD"].concat();
        let spec = format!(
            "swagger: \"2.0\"\npaths:\n  /unlock:\n    get:\n      responses:\n        200:\n          examples:\n            UnlockKey: \"SWMKEY-1-7c37Cc8654o6p38HnroywCi19pllOn\"\n            Auth:\n              password: \"Qv7Lm2Xr9pT4\"\n              token: \"{token}\"\n"
        );
        let found = |path: &str| -> Vec<String> {
            e.scan(path.as_bytes(), spec.as_bytes())
                .iter()
                .map(|h| e.rules[h.rule].spec.id.clone())
                .collect()
        };
        assert_eq!(found("api/swagger.yaml"), vec!["github-pat"]);
        let described = "swagger: \"2.0\"\npaths:\n  /build:\n    post:\n      parameters:\n        - name: \"X-Registry-Config\"\n          description: |\n            ```\n            {\"username\": \"janedoe\", \"password\": \"Qv7Lm2Xr9pT4\"}\n            ```\n";
        let hits = e.scan(b"api/swagger.yaml", described.as_bytes());
        assert!(hits.is_empty(), "a description's code block: {hits:?}");
        // The same lines outside a spec are judged as any config file's.
        assert_eq!(
            found("api/values.json").len(),
            3,
            "{:?}",
            found("api/values.json")
        );
    }

    #[test]
    fn lines_around_a_region() {
        let data = b"1\n2\n3\n4\n5\n6\n7\n";
        let r = |a: &str| {
            let s = std::str::from_utf8(data).unwrap_or_default();
            let start = s.find(a).unwrap_or(0);
            start..start + 2
        };
        assert_eq!(&data[around(data, &r("4"), 1)], b"3\n4\n5\n");
        assert_eq!(&data[around(data, &r("1"), 2)], b"1\n2\n3\n");
        assert_eq!(&data[around(data, &r("7"), 9)], data);
    }

    #[test]
    fn private_key_across_lines_with_line_numbers() {
        let body = "MIIEowIBAAKCAQEAn6O8li0SX4m98LLYtPKSzEmQ2ZBD7Loh9P13f4yQ92EF3yxR5Ms";
        let text = format!(
            "x\n-----BEGIN RSA {}-----\n{body}\n{body}\n-----END RSA {}-----\n",
            "PRIVATE KEY", "PRIVATE KEY"
        );
        let e = engine();
        let hits = e.scan(b"k.pem", text.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(e.rules[hits[0].rule].spec.id, "private-key");
        assert_eq!((hits[0].line, hits[0].end_line), (3, 4));
    }
}
