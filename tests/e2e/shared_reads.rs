//! Checks share one read of each file: the secrets scan reads every file first, and its read
//! answers hygiene's question ("could this file hold a conflict marker?"), so that hygiene does
//! not read the file again. What hygiene reports must be what it reports alone.

use crate::support::*;

/// (rule, path, line, commit) of the hygiene findings of a `--format json` run, sorted.
fn hygiene_findings(r: &Repo<'_>, args: &[&str]) -> Vec<(String, String, u64, String)> {
    let out = r.hygiene(args);
    let mut found: Vec<_> = json_findings(&out)
        .iter()
        .filter(|f| f["check"] == "hygiene")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (
                s("rule"),
                s("path"),
                f["line"].as_u64().unwrap_or(0),
                s("commit"),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn hygiene_reports_the_same_markers_when_another_check_read_the_file_first() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let old_marker = "intro\n<<<<<<< kept from before\n";
    let base = r.add_commit("notes.txt", old_marker, "init");
    r.add_commit("clean.txt", "one\n", "clean");
    // A modified file gains a conflict; the marker already there is not new.
    let conflict = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> feature\n";
    r.write("notes.txt", format!("{old_marker}middle\n{conflict}"));
    r.write("clean.txt", "one\ntwo\n");
    r.write("docs/new.md", "# title\n>>>>>>> feature\n");
    // Binary content is not judged for markers.
    r.write("data.bin", b"\x00\x01<<<<<<< HEAD\n".as_slice());
    r.git(&["add", "."]);
    let modified = r.commit_no_verify("conflicts");

    let history = ["--format", "json", "scan", "--history", "HEAD"];
    let alone = hygiene_findings(&r, &[&["--only", "hygiene"][..], &history].concat());
    let m = |path: &str, line: u64, commit: &str| {
        (
            "conflict-marker".to_owned(),
            path.to_owned(),
            line,
            commit.to_owned(),
        )
    };
    let mut expected = vec![m("docs/new.md", 2, &modified)];
    expected.extend(
        (4..=8)
            .filter(|l| *l != 5 && *l != 7)
            .map(|l| m("notes.txt", l, &modified)),
    );
    expected.push(m("notes.txt", 2, &base));
    expected.sort();
    assert_eq!(alone, expected);
    assert_eq!(hygiene_findings(&r, &history), alone, "all checks, history");

    let tree = ["--format", "json", "scan"];
    let alone = hygiene_findings(&r, &[&["--only", "hygiene"][..], &tree].concat());
    assert_eq!(alone.len(), 5, "{alone:?}");
    assert_eq!(hygiene_findings(&r, &tree), alone, "all checks, tree");
}
