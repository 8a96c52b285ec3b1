//! End-to-end: bad input is a clear message or a skipped file with a note — never a panic or a hang.

use crate::support::*;

#[test]
fn huge_sparse_file_is_reported_by_size_without_reading_it() {
    let sb = Sandbox::new();
    let dir = sb.path().join("tree");
    std::fs::create_dir_all(&dir).unwrap();
    let f = std::fs::File::create(dir.join("disk.img")).unwrap();
    f.set_len(2 << 30).unwrap(); // 2 GiB, sparse: costs no disk and would take seconds to read
    std::fs::write(dir.join("ok.txt"), "fine\n").unwrap();
    let started = std::time::Instant::now();
    let out = sb
        .cmd(bin(), &dir)
        .args(["scan", "--format", "json"])
        .env("GIT_CEILING_DIRECTORIES", sb.path())
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "large-file");
    assert_eq!(v["findings"][0]["path"], "disk.img");
    assert!(
        v["summary"]["bytes"].as_u64().unwrap() < 1000,
        "the big file's content must not be read"
    );
    // Generous bound: reading 2 GiB would take far longer; this guards against a hang, not speed.
    assert!(started.elapsed().as_secs() < 30);
}

/// A command for which mode-000 files really are unreadable. Root reads them anyway, so as
/// root the command runs under `setpriv` without the capabilities that override file
/// permissions; the test fails rather than pass without exercising anything.
#[cfg(unix)]
fn without_read_override(
    sb: &Sandbox,
    dir: &std::path::Path,
    locked: &std::path::Path,
) -> std::process::Command {
    const DROP: &str = "--bounding-set=-dac_override,-dac_read_search";
    let as_root = std::fs::read(locked).is_ok();
    if as_root {
        let probe = sb
            .cmd("setpriv", dir)
            .arg(DROP)
            .arg("cat")
            .arg(locked)
            .output();
        assert!(
            probe.is_ok_and(|o| !o.status.success()),
            "running as root and `setpriv {DROP}` cannot make a file unreadable here (util-linux's setpriv is needed)"
        );
        let mut c = sb.cmd("setpriv", dir);
        c.arg(DROP).arg(bin());
        c
    } else {
        sb.cmd(bin(), dir)
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_and_directory_are_named_in_the_summary() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let dir = sb.path().join("tree");
    let private = dir.join("private");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::write(dir.join("ok.txt"), "fine\n").unwrap();
    let locked = dir.join("locked.txt");
    std::fs::write(&locked, MARKER_FILE).unwrap();
    std::fs::write(private.join("inner.txt"), MARKER_FILE).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mode = |m| std::fs::set_permissions(&private, std::fs::Permissions::from_mode(m)).unwrap();
    // The directory is locked only while git-hygiene runs, so that the temp dir can be removed.
    let scan = |args: &[&str]| {
        mode(0o000);
        let out = without_read_override(&sb, &dir, &locked)
            .args(args)
            .env("GIT_CEILING_DIRECTORIES", sb.path())
            .output()
            .unwrap();
        mode(0o755);
        out
    };
    // Without -v: the notes stay hidden, the summary does not.
    let out = scan(&["scan"]);
    assert_eq!(
        code(&out),
        0,
        "not reading a file is not a finding: {}",
        text(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("no problems —"), "{stdout}");
    assert!(
        stdout.contains("no problems found, but 2 files not read — 2 files,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  not read: locked.txt (permission denied)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  not read: private (permission denied)\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("note["), "notes need -v: {stdout}");
    let out = scan(&["-v", "scan"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("note[hygiene/unreadable]: skipped: permission denied"),
        "{stdout}"
    );
    let out = scan(&["--format", "json", "scan"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["summary"]["unread"],
        serde_json::json!([
            {"path": "locked.txt", "commit": null, "reason": "permission denied"},
            {"path": "private", "commit": null, "reason": "permission denied"},
        ]),
        "{v}"
    );
}

#[cfg(unix)]
#[test]
fn special_file_in_a_scan_is_named_not_read_even_with_quiet() {
    let sb = Sandbox::new();
    let dir = sb.path().join("tree");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ok.txt"), "fine\n").unwrap();
    let mk = sb.cmd("mkfifo", &dir).arg("events").output().unwrap();
    assert!(mk.status.success(), "{}", text(&mk));
    let scan = |args: &[&str]| {
        sb.cmd(bin(), &dir)
            .args(args)
            .env("GIT_CEILING_DIRECTORIES", sb.path())
            .output()
            .unwrap()
    };
    for args in [&["scan"][..], &["-q", "scan"]] {
        let out = scan(args);
        assert_exit(&out, 0);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with(
                "git-hygiene scan: no problems found, but 1 file not read — 1 file, 5 B in "
            ),
            "{args:?}: {stdout}"
        );
        assert!(
            stdout.ends_with(" ms\n  not read: events (not a regular file)\n"),
            "{stdout}"
        );
    }
    let out = scan(&["--format", "json", "scan"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["unread"][0]["path"], "events", "{v}");
    assert_eq!(
        v["summary"]["unread"][0]["reason"], "not a regular file",
        "{v}"
    );
    assert_eq!(v["summary"]["files"], 1);
    // A clean tree says "no problems" and lists nothing; -q then prints nothing at all.
    std::fs::remove_file(dir.join("events")).unwrap();
    let out = scan(&["scan"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("git-hygiene scan: no problems — 1 file, 5 B in "),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(scan(&["-q", "scan"]).stdout.is_empty());
}

#[test]
fn vanished_file_in_a_hand_built_changeset_is_a_note_not_an_error() {
    use git_hygiene::changeset::{ChangeSet, ChangedFile, Mode};
    use git_hygiene::checks::Config;
    use git_hygiene::checks::{self, Selection};
    let dir = tempfile::tempdir().unwrap();
    let mut cs = ChangeSet::from_disk(Mode::Scan, dir.path().to_path_buf());
    cs.files.push(ChangedFile::on_disk("gone.txt".into()));
    let findings = checks::run_all(&cs, &Config::default(), &Selection::default(), true).unwrap();
    // Every check that reads content notes the file once; none fails the run or blocks.
    assert!(!findings.is_empty(), "{findings:?}");
    assert!(
        findings
            .iter()
            .all(|f| f.rule == "unreadable" && !f.is_blocking()),
        "{findings:?}"
    );
}

#[test]
fn bare_repository_and_missing_config_file_are_exit_2() {
    let sb = Sandbox::new();
    let bare = sb.bare("b.git");
    let out = sb.cmd(bin(), &bare).args(["check"]).output().unwrap();
    assert_exit(&out, 2);
    assert!(text(&out).contains("bare repository"), "{}", text(&out));
    let r = sb.repo("r");
    let out = r.hygiene(&["--config", "nope.toml", "check"]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("nope.toml"), "{}", text(&out));
}

#[test]
fn pre_push_by_hand_on_a_terminal_or_empty_stdin_does_not_hang() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "init");
    let out = r.hygiene(&["hook", "pre-push", "origin", "url"]);
    assert_exit(&out, 0);
}
