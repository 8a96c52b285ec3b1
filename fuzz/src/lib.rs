//! What the fuzz targets run, one function per parser. Each takes arbitrary bytes, must never
//! panic, and asserts the cheap invariants of what it parsed. `tests/e2e/fuzz_properties.rs` runs
//! the same functions as proptest properties, so plain `cargo test` exercises them too.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use git_hygiene::changeset::{ChangeSet, Commit, HeadState, MergeRequest, Message, Mode};
use git_hygiene::checks::adr::{links, parse as adr_parse, validate};
use git_hygiene::checks::migrations::code_lexer::{self, CTok, Lang};
use git_hygiene::checks::migrations::locks::Dialect;
use git_hygiene::checks::migrations::{destructive, order, sql_lexer};
use git_hygiene::checks::secrets::{engine, engine_for, redact, SecretsConfig};
use git_hygiene::checks::{self, branch_name, ticket, Config, Context, Selection};
use git_hygiene::config;
use git_hygiene::conventional::{self, Trailer};
use git_hygiene::ticket_id::{Form, Matcher};
use git_hygiene::{message, push};

/// Text for the parsers that take `&str`: valid UTF-8 as is, anything else as git-hygiene
/// itself reads it (lossily).
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A config that switches on every message rule (tickets required, a custom prefix), so the
/// checks walk every path of the message parser.
fn strict_config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        Config::parse(
            "[ticket]\nrequire = [\"branch\", \"commits\", \"mr-title\"]\ncustom_prefixes = [\"ENG\"]\n",
            Path::new(".hygiene.toml"),
        )
        .unwrap_or_default()
    })
}

fn only(ids: &[&str]) -> Selection {
    Selection {
        only: ids.iter().map(|s| s.to_string()).collect(),
        skip: Vec::new(),
    }
}

/// `.hygiene.toml`: any text is a config or an error, and an error names a place in the text.
pub fn config(data: &[u8]) {
    let t = text(data);
    let _ = Config::parse(&t, Path::new(".hygiene.toml"));
    for offset in [0, t.len() / 3, t.len() / 2, t.len(), t.len() + 1] {
        let (line, col) = config::line_col(&t, offset);
        assert!(line >= 1 && col >= 1);
        assert!(line <= t.lines().count() + 1);
    }
    let _ = config::parse_size(&t);
}

/// The commit message as the hooks and checks read it: comment character, cleanup, header,
/// trailers, the kinds of commit, prepare-commit-msg's ticket insertion and the commit-msg,
/// ticket and branch checks at commit-msg, prepare-commit-msg and ci.
pub fn commit_message(data: &[u8]) {
    let raw = text(data);
    let cc = message::comment_char(&raw, Some("auto"));
    let clean = message::cleanup(&raw, cc);
    assert_eq!(message::cleanup(&clean, cc), clean, "cleanup is idempotent");
    let subject = clean.lines().next().unwrap_or("");
    if let Ok(h) = conventional::parse_header(subject) {
        assert!(subject.starts_with(h.kind) && subject.ends_with(h.description));
        if let Some(s) = h.scope {
            assert!(subject.contains(s));
        }
    }
    let _ = (
        conventional::is_wip(subject),
        conventional::is_autosquash(subject),
        conventional::is_generated(subject),
    );
    let lines: Vec<&str> = clean.lines().collect();
    for l in &lines {
        if let Some((token, value)) = conventional::trailer_line(l) {
            assert!(l.starts_with(token) && l.contains(value));
        }
    }
    for Trailer { token, value, line } in conventional::trailers(&clean) {
        let l = lines.get(line).copied().unwrap_or_default();
        assert!(
            l.starts_with(token.as_str()),
            "{token:?} is not where {l:?} starts"
        );
        assert!(value.split(' ').all(|piece| clean.contains(piece)));
    }
    for style in [
        ticket::Insert::Trailer,
        ticket::Insert::Prefix,
        ticket::Insert::Brackets,
    ] {
        if let Some(new) = ticket::insert(&raw, cc, "CU-86b2xk4pq", style, "Refs") {
            assert!(new.contains("CU-86b2xk4pq"));
        }
    }
    run_message_checks(&raw, &clean, cc);
}

fn run_message_checks(raw: &str, clean: &str, cc: char) {
    let config = strict_config();
    // Not `adr`: it looks for ADR files on disk; its reading of a message is `links::refs`.
    let selection = only(&["commit-msg", "ticket", "branch"]);
    let _ = links::refs(clean, false);
    for branch in ["feature/CU-86b2xk4pq-login", "main"] {
        let msg = Message {
            file: PathBuf::from("COMMIT_EDITMSG"),
            raw: raw.to_owned(),
            text: clean.to_owned(),
            comment_char: cc,
            ..Message::default()
        };
        let mut cs = in_memory(Mode::CommitMsg);
        cs.branch = Some(branch.to_owned());
        cs.message = Some(msg.clone());
        let _ = checks::run_all(&cs, config, &selection, true);
        cs.mode = Mode::PrepareCommitMsg;
        for c in checks::registry()
            .into_iter()
            .filter(|c| selection.wants(c.id()))
        {
            let ctx = Context {
                cs: &cs,
                config,
                severity: git_hygiene::finding::Severity::Error,
                verbose: true,
            };
            let _ = c.prepare_message(&ctx);
        }
    }
    // In ci every commit of the range is judged, with the message as git stored it.
    let mut cs = in_memory(Mode::Ci);
    cs.branch = Some("feature/x".to_owned());
    cs.commits.push(Commit {
        id: "0123456789abcdef0123456789abcdef01234567".into(),
        parents: vec!["89abcdef0123456789abcdef0123456789abcdef".into()],
        message: raw.to_owned(),
        author: "A <a@example.com>".into(),
    });
    cs.merge_request = Some(MergeRequest {
        title: clean.lines().next().unwrap_or("").to_owned(),
        description: raw.to_owned(),
        source_branch: Some("feature/x".into()),
        target_branch: Some("main".into()),
        // Squashed: the title is judged as the commit message too.
        squash_on_merge: Some(true),
    });
    let _ = checks::run_all(&cs, config, &selection, true);
}

/// A change set with nothing on disk behind it (the message checks read no files).
fn in_memory(mode: Mode) -> ChangeSet {
    let mut cs = ChangeSet::from_disk(mode, PathBuf::from("/nonexistent/git-hygiene-fuzz"));
    cs.head_state = HeadState::Branch;
    cs
}

/// pre-push stdin: accepted lines have the four fields with full object ids.
pub fn pre_push(data: &[u8]) {
    let t = text(data);
    match push::parse(&t) {
        Ok(lines) => {
            assert!(lines.len() <= t.lines().count());
            for l in lines {
                for oid in [&l.local_oid, &l.remote_oid] {
                    assert!(oid.len() == 40 || oid.len() == 64);
                    assert!(oid.bytes().all(|b| b.is_ascii_hexdigit()));
                }
                let _ = push::is_zero(&l.local_oid);
            }
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "one-line error: {e}"),
    }
}

/// The SQL lexer and the destructive-statement analysis built on it.
pub fn sql_lexer(data: &[u8]) {
    let t = text(data);
    if let Ok(l) = sql_lexer::lex(&t) {
        let lines = t.split('\n').count() as u32;
        let upper = t.to_ascii_uppercase();
        let mut last = 1;
        for (i, tok) in l.statements.iter().flat_map(|s| &s.tokens).enumerate() {
            assert!(tok.line >= last && tok.line <= lines, "tokens in order");
            last = tok.line;
            // Bounded, so a long input does not make this quadratic.
            if i < 32 {
                if let sql_lexer::Tok::Word(w) = &tok.tok {
                    assert!(upper.contains(w.as_str()));
                }
            }
        }
        for (line, c) in l.comments.iter().take(32) {
            assert!(*line >= 1 && *line <= lines);
            assert!(t.contains(c.as_str()));
        }
    }
    let _ = destructive::analyse_sql(&t, Dialect::Postgres, None);
    // The same text as the history of a later migration: the type and check tracking.
    let history = destructive::learn_sql([t.as_str()]);
    let _ = destructive::analyse_sql(&t, Dialect::Postgres, Some(&history));
}

/// The Python/Ruby/JavaScript migration lexer, its `down` regions, the destructive analysis and
/// Alembic's revision lines.
pub fn code_lexer(data: &[u8]) {
    let t = text(data);
    let lines = t.split('\n').count() as u32;
    for lang in [Lang::Python, Lang::Ruby, Lang::Js] {
        if let Ok(l) = code_lexer::lex(&t, lang) {
            for (i, tok) in l.tokens.iter().enumerate() {
                assert!(tok.line >= 1 && tok.line <= lines + 1);
                if i < 32 {
                    if let CTok::Ident(id) = &tok.tok {
                        assert!(t.contains(id.as_str()));
                    }
                }
            }
            for (line, c) in l.comments.iter().take(32) {
                assert!(*line >= 1 && *line <= lines);
                assert!(t.contains(c.as_str()));
            }
            for (from, to) in code_lexer::down_regions(&t, lang, &l) {
                assert!(from >= 1 && from <= to);
            }
        }
        let _ = destructive::analyse_code(&t, lang, Dialect::Postgres);
    }
    let _ = order::parse_alembic(&t);
}

/// One ADR file: the first line of the input is its path, the rest its text.
pub fn adr(data: &[u8]) {
    let t = text(data);
    let (path, src) = t
        .split_once('\n')
        .unwrap_or(("docs/adr/0001-x.md", t.as_str()));
    let name = path.rsplit('/').next().unwrap_or(path);
    let _ = adr_parse::number_of(name);
    for in_adr in [false, true] {
        let _ = links::refs_with_dirs(src, in_adr, &["docs/adr".to_owned()]);
    }
    let Some(a) =
        adr_parse::parse(path, src).or_else(|| adr_parse::parse("docs/adr/0007-x.md", src))
    else {
        return;
    };
    if let Some(title) = &a.title {
        assert!(src.contains(title.as_str()));
    }
    let _ = (a.status_word(), a.label());
    let changed: HashSet<String> = [a.path.clone()].into();
    let _ = validate::validate(&[a], &changed, &Default::default());
}

/// ClickUp ids: matches are in order, do not overlap, and fall on character boundaries; the
/// branch check builds its rename from them.
pub fn ticket(data: &[u8]) {
    let t = text(data);
    let m = Matcher::new(&["ENG".to_owned(), "OPS".to_owned()]);
    for any_case in [false, true] {
        let mut end = 0;
        for tk in m.find_all(&t, any_case) {
            assert!(
                tk.start >= end && tk.start < tk.end,
                "in order, not overlapping"
            );
            end = tk.end;
            let written = t
                .get(tk.start..tk.end)
                .unwrap_or_else(|| panic!("{tk:?} cuts a character"));
            assert!(tk.exact || any_case);
            match tk.form {
                Form::Cu | Form::Hash => assert!(tk.id.starts_with("CU-")),
                Form::Custom => assert!(written.eq_ignore_ascii_case(&tk.id)),
            }
        }
    }
    let cfg = &strict_config().branch;
    let _ = branch_name::suggest(&t, &cfg.types, &m, true);
    let _ = branch_name::is_version(&t);
    let mut cs = in_memory(Mode::Ci);
    cs.branch = Some(t.clone());
    cs.merge_request = Some(MergeRequest {
        title: t.clone(),
        description: String::new(),
        source_branch: Some(t),
        target_branch: None,
        squash_on_merge: Some(true),
    });
    let _ = checks::run_all(&cs, strict_config(), &only(&["branch", "ticket"]), true);
}

/// The secrets engine on arbitrary bytes: the first line is the path, the rest the content.
/// Hits lie in the data, in order, and their lines redact without panicking.
pub fn secrets(data: &[u8]) {
    static E: OnceLock<engine::Engine> = OnceLock::new();
    let e = E.get_or_init(|| engine_for(&SecretsConfig::default(), false));
    let (path, content) = match data.iter().position(|&b| b == b'\n') {
        Some(i) if i < 64 => (&data[..i], &data[i + 1..]),
        _ => (&b"config/settings.py"[..], data),
    };
    let hits = e.scan(path, content);
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    for h in &hits {
        assert!(h.start <= h.end && h.end <= content.len());
        assert!(h.line >= 1 && h.end_line >= h.line && h.column >= 1);
        let (ls, le) = engine::line_bounds(content, h.start, h.start);
        let _ = redact::redact_line(content, ls, le, &spans);
        let _ = redact::redact(&content[h.start..h.end]);
    }
    // History scans read only the changed lines: the second half, from a line start.
    let from = content[..content.len() / 2]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    for h in e.scan_lines(path, content, from..content.len()) {
        assert!(h.start <= h.end && h.end <= content.len());
    }
}
