//! End-to-end: the installed hooks judge real `git commit`s.

use crate::support::*;

#[test]
fn conflict_marker_blocks_commit_and_clean_commit_passes() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    // The initial commit of an empty repository (no HEAD yet).
    r.write("notes/todo.md", MARKER_FILE);
    r.git(&["add", "."]);
    let out = r.commit("feat: first");
    assert_exit(&out, 1);
    let t = text(&out);
    assert!(t.contains("notes/todo.md:2:1"), "{t}");
    assert!(t.contains("hygiene/conflict-marker"), "{t}");
    assert_eq!(r.commit_count(), 0, "nothing may be committed");

    r.write("notes/todo.md", "x\nall resolved\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: first");
    assert_exit(&out, 0);
    assert_eq!(r.commit_count(), 1);
}

#[test]
fn only_added_lines_are_judged() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", MARKER_FILE, "old marker, committed without hooks");
    r.install();
    r.write("a.txt", format!("{MARKER_FILE}new line\n"));
    r.git(&["add", "a.txt"]);
    let out = r.commit("docs: append");
    assert_eq!(
        code(&out),
        0,
        "old markers are not this commit's fault:\n{}",
        text(&out)
    );
}

#[test]
fn commit_with_paths_judges_the_alternate_index() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("base.txt", "base\n", "init");
    r.install();
    // Staged: a bad file. `git commit good.txt` commits only good.txt (from the work tree).
    r.write("bad.txt", MARKER_FILE);
    r.git(&["add", "bad.txt"]);
    r.write("good.txt", "fine\n");
    r.git(&["add", "good.txt"]);
    r.write("good.txt", "fine, edited after staging\n");
    let out = r.git_out(&["commit", "-q", "-m", "fix: only good", "good.txt"]);
    assert_eq!(
        code(&out),
        0,
        "bad.txt is not part of this commit:\n{}",
        text(&out)
    );
    assert_eq!(
        r.git(&["show", "HEAD:good.txt"]),
        "fine, edited after staging"
    );

    // The reverse: the index copy is clean, the work-tree copy (what `git commit path` takes) is not.
    r.write("base.txt", "base\nclean\n");
    r.git(&["add", "base.txt"]);
    r.write("base.txt", format!("base\n{MARKER_FILE}"));
    let before = r.head();
    let out = r.git_out(&["commit", "-q", "-m", "fix: take work tree", "base.txt"]);
    assert_eq!(
        code(&out),
        1,
        "the work-tree content is what gets committed:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("base.txt:3:1"), "{}", text(&out));
    assert_eq!(r.head(), before);
}

#[test]
fn commit_all_uses_locked_index() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "init");
    r.install();
    r.write("a.txt", format!("a\n{MARKER_FILE}"));
    let out = r.git_out(&["commit", "-q", "-a", "-m", "fix: all"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("a.txt:3:1"), "{}", text(&out));
}

#[test]
fn linked_worktree_gets_working_hooks() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "init");
    r.install();
    let wt_dir = sb.path().join("wt");
    r.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "feature/wt",
        wt_dir.to_str().unwrap(),
    ]);
    let wt = r.at(wt_dir);
    wt.write("b.txt", MARKER_FILE);
    wt.git(&["add", "b.txt"]);
    let out = wt.commit("feat: in worktree");
    assert_exit(&out, 1);
    assert!(text(&out).contains("b.txt:2:1"), "{}", text(&out));
    // Installing from inside the worktree writes to the shared hooks dir, not a private one.
    let out = wt.hygiene(&["install"]);
    assert!(
        text(&out).contains(&format!(
            "{}",
            r.dir.join(".git/hooks/pre-commit").display()
        )),
        "{}",
        text(&out)
    );
}

#[test]
fn core_hooks_path_is_respected() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.git(&["config", "core.hooksPath", ".githooks"]);
    r.install();
    assert!(r.dir.join(".githooks/pre-commit").is_file());
    assert!(!r.dir.join(".git/hooks/pre-commit").exists());
    r.write("a.txt", MARKER_FILE);
    r.git(&["add", "a.txt"]);
    let out = r.commit("feat: x");
    assert_exit(&out, 1);
}

#[test]
fn global_hooks_path_needs_force() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let global = sb.path().join("global-hooks");
    r.git(&[
        "config",
        "--global",
        "core.hooksPath",
        global.to_str().unwrap(),
    ]);
    let out = r.hygiene(&["install"]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert!(!global.join("pre-commit").exists());
    let out = r.hygiene(&["install", "--force"]);
    assert_exit(&out, 0);
    assert!(global.join("pre-commit").exists());
}

#[test]
fn existing_hook_is_chained_and_restored() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let hook = r.dir.join(".git/hooks/pre-commit");
    let custom =
        "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/custom-ran\"\n[ ! -f fail-custom ]\n";
    std::fs::write(&hook, custom).unwrap();
    make_executable(&hook);
    r.install();
    assert_eq!(
        std::fs::read_to_string(r.dir.join(".git/hooks/pre-commit.legacy")).unwrap(),
        custom
    );

    // Both run: the custom hook leaves its trace, ours blocks the marker.
    r.write("a.txt", MARKER_FILE);
    r.git(&["add", "a.txt"]);
    let out = r.commit("fix: x");
    assert_exit(&out, 1);
    assert!(text(&out).contains("a.txt:2:1"));
    assert!(
        r.dir.join(".git/custom-ran").exists(),
        "the existing hook must run first"
    );

    // Its failure fails the hook.
    r.write("a.txt", "clean\n");
    r.git(&["add", "a.txt"]);
    r.write("fail-custom", "");
    let out = r.commit("fix: x");
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.commit_count(), 0);
    std::fs::remove_file(r.dir.join("fail-custom")).unwrap();
    let out = r.commit("fix: x");
    assert_exit(&out, 0);

    // Re-installing does not wrap our own shim; uninstall puts the original back byte for byte.
    r.install();
    assert_eq!(
        std::fs::read_to_string(r.dir.join(".git/hooks/pre-commit.legacy")).unwrap(),
        custom
    );
    let out = r.hygiene(&["uninstall"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), custom);
    assert!(!r.dir.join(".git/hooks/pre-commit.legacy").exists());
    assert!(!r.dir.join(".git/hooks/pre-push").exists());
}

#[test]
fn no_verify_and_hygiene_skip_bypass() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write("a.txt", MARKER_FILE);
    r.git(&["add", "a.txt"]);
    let out = r
        .cmd("git")
        .args(["commit", "-q", "-m", "fix: x"])
        .env("HYGIENE_SKIP", "hygiene")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    r.write("a.txt", format!("{MARKER_FILE}more\n"));
    r.git(&["add", "a.txt"]);
    let out = r
        .cmd("git")
        .args(["commit", "-q", "-m", "fix: x"])
        .env("HYGIENE_SKIP", "nonsense")
        .output()
        .unwrap();
    // git turns any hook failure into exit 1; the hook itself said why.
    assert_eq!(
        code(&out),
        1,
        "an unknown check id is an error, not a silent skip:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("unknown check `nonsense`"));
}

#[test]
fn merge_detached_head_and_submodule_do_not_break_the_hook() {
    let sb = Sandbox::new();
    let sub = sb.repo("sub");
    sub.add_commit("s.txt", "s\n", "sub init");
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "init");
    r.install();
    // Submodule: present, staged, not descended into.
    let out = r.git_out(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.dir.to_str().unwrap(),
        "vendored",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let out = r.commit("chore: add submodule");
    assert_exit(&out, 0);

    // A conflicted merge concluded by `git commit`.
    r.git(&["checkout", "-q", "-b", "other"]);
    r.add_commit("a.txt", "a\nother\n", "other");
    r.git(&["checkout", "-q", BRANCH]);
    r.add_commit("a.txt", "a\nmain\n", "main");
    let _ = r.git_out(&["merge", "-q", "other"]);
    assert!(r.dir.join(".git/MERGE_HEAD").exists());
    // Staging the file with markers still in it is caught.
    r.git(&["add", "a.txt"]);
    let out = r.git_out(&["commit", "-q", "--no-edit"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("a.txt:"), "{}", text(&out));
    r.write("a.txt", "a\nmain\nother\n");
    r.git(&["add", "a.txt"]);
    let out = r.git_out(&["commit", "-q", "--no-edit"]);
    assert_exit(&out, 0);

    // Detached HEAD.
    r.git(&["checkout", "-q", "--detach"]);
    r.write("d.txt", "d\n");
    r.git(&["add", "d.txt"]);
    let out = r.commit("fix: detached");
    assert_exit(&out, 0);
}

#[test]
fn awkward_paths_are_reported_safely() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write("dir with space/file name.txt", MARKER_FILE);
    r.write("new\nline.txt", MARKER_FILE);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let p = r.dir.join(std::ffi::OsStr::from_bytes(b"latin1-\xe9.txt"));
        std::fs::write(p, MARKER_FILE).unwrap();
    }
    r.git(&["add", "-A"]);
    let out = r.commit("fix: x");
    assert_exit(&out, 1);
    let t = text(&out);
    assert!(t.contains("dir with space/file name.txt:2:1"), "{t}");
    assert!(
        t.contains("new\\nline.txt:2:1"),
        "newline escaped on the terminal:\n{t}"
    );
    #[cfg(unix)]
    assert!(t.contains("latin1-\u{fffd}.txt:2:1"), "{t}");
}

#[test]
fn large_and_binary_files() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write(".hygiene.toml", "[hygiene]\nmax_file_size = \"1 KiB\"\n");
    r.write("big.bin", vec![b'a'; 4096]);
    let mut binary = vec![0u8, 1, 2, 3];
    binary.extend_from_slice(b"\n<<<<<<< HEAD\n");
    r.write("image.png", binary);
    r.git(&["add", "-A"]);
    let out = r.commit("fix: x");
    assert_exit(&out, 1);
    let t = text(&out);
    assert!(t.contains("hygiene/large-file"), "{t}");
    assert!(t.contains("big.bin"), "{t}");
    assert!(
        !t.contains("image.png"),
        "binary content is not line-checked:\n{t}"
    );
}

/// `text` as UTF-16LE with its byte-order mark (what Windows editors save).
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Conflict markers in a UTF-16 file (a Visual Studio `.rc`, say) are found in its decoded
/// lines, new file or edited one; the lines an edit keeps are not this commit's.
#[test]
fn conflict_markers_in_a_utf16_file_block_the_commit() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write("res/app.rc", utf16le(&MARKER_FILE.replace('\n', "\r\n")));
    r.git(&["add", "."]);
    let out = r.commit("feat: resources");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    for line in [2, 4, 6] {
        assert!(t.contains(&format!("res/app.rc:{line}:1")), "{line}:\n{t}");
    }
    assert!(
        t.contains("<<<<<<< HEAD"),
        "the snippet is the decoded line:\n{t}"
    );

    r.write("res/app.rc", utf16le("STRINGTABLE\r\n<<<<<<< HEAD\r\n"));
    r.git(&["add", "."]);
    r.commit_no_verify("wip: keep a marker");
    r.write(
        "res/app.rc",
        utf16le("STRINGTABLE\r\n<<<<<<< HEAD\r\nIDS_OK \"OK\"\r\n>>>>>>> theirs\r\n"),
    );
    r.git(&["add", "."]);
    let out = r.commit("fix: resources");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("res/app.rc:4:1") && !t.contains("res/app.rc:2:1"),
        "{t}"
    );
}

#[test]
fn case_conflict_is_reported() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "a\n", "init");
    r.install();
    r.write("Readme.md", "b\n");
    r.git(&["add", "Readme.md"]);
    let out = r.commit("docs: readme");
    assert_exit(&out, 1);
    assert!(
        text(&out).contains("`Readme.md` differs only in case from `README.md`"),
        "{}",
        text(&out)
    );
}

fn make_executable(p: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The hooks' summaries in a real `git commit`: "1 file" (not "1 files"), the message hook
/// speaks of the message (not "0 files, 0 B"), and a check skipped by HYGIENE_SKIP is named.
#[test]
fn hook_summaries_count_right_and_name_skipped_checks() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write("a.txt", "hello\n");
    r.git(&["add", "a.txt"]);
    let out = r.commit("feat: add a");
    assert_exit(&out, 0);
    let t = text(&out);
    assert!(
        t.contains("git-hygiene pre-commit: no problems — 1 file, 6 B in "),
        "{t}"
    );
    assert!(
        t.contains("git-hygiene commit-msg: no problems — the commit message in "),
        "{t}"
    );
    assert!(!t.contains("0 B"), "{t}");

    r.write("b.txt", "b\n");
    r.write("c.txt", "c\n");
    r.git(&["add", "."]);
    let out = r
        .cmd("git")
        .args(["commit", "-m", "feat: add b and c"])
        .env("HYGIENE_SKIP", "secrets")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let t = text(&out);
    assert!(
        t.contains(
            "git-hygiene pre-commit: no problems found, but 1 check skipped — 2 files, 4 B in "
        ),
        "{t}"
    );
    assert!(
        t.contains("\n  checks skipped by HYGIENE_SKIP: secrets\n"),
        "{t}"
    );
    assert!(!t.contains("pre-commit: no problems —"), "{t}");
}
