//! End-to-end: `scan` of a plain directory (no repository) and `scan --history`/`ci` of a bare
//! repository judge each file by the nested `.hygiene.toml` above it, as a work tree's hooks do,
//! and a broken nested config stops them with its file and line.

use std::path::Path;

use crate::support::*;

fn github_token() -> String {
    ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat()
}

/// Two packages with the same token in a fixture; only packages/api allows its fixtures.
fn write_packages(write: &dyn Fn(&str, &str)) {
    let leak = format!("token = \"{}\"\n", github_token());
    write(".hygiene.toml", "[hygiene]\nmax_file_size = \"1 MiB\"\n");
    write(
        "packages/api/.hygiene.toml",
        "[secrets]\nallow_paths = [\"fixtures/**\"]\n",
    );
    write("packages/api/fixtures/t.txt", &leak);
    write("packages/web/fixtures/t.txt", &leak);
}

fn write_in(dir: &Path) -> impl Fn(&str, &str) + '_ {
    move |path, text| {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

const TYPO: &str = "[secrets]\nallow_pathz = [\"fixtures/**\"]\n";

#[test]
fn scan_of_a_plain_directory_uses_the_nested_configs_it_walks_past() {
    let sb = Sandbox::new();
    let dir = sb.path().join("plain");
    write_packages(&write_in(&dir));
    // A vendored package's own root config (a key no nested config may set) is not ours.
    write_in(&dir)(
        "node_modules/dep/.hygiene.toml",
        "[branch]\nprotected = [\"main\"]\n",
    );
    let run = |args: &[&str]| sb.cmd(bin(), &dir).args(args).output().unwrap();

    let out = run(&["scan"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(t.contains("packages/web/fixtures/t.txt"), "{t}");
    assert!(
        !t.contains("packages/api/fixtures/t.txt"),
        "packages/api's config allows its fixtures: {t}"
    );
    assert!(!leaks(&t, &github_token()), "{t}");

    // A typo in the package's config: exit 2 at its line, before anything is judged.
    write_in(&dir)("packages/api/.hygiene.toml", TYPO);
    let out = run(&["scan"]);
    let t = text(&out);
    assert_exit(&out, 2);
    assert!(t.contains("packages/api/.hygiene.toml:2"), "{t}");
    assert!(t.contains("allow_pathz"), "{t}");
}

#[test]
fn scan_of_a_path_in_a_work_tree_uses_the_nested_config_above_where_the_walk_starts() {
    let sb = Sandbox::new();
    let r = sb.repo("wt");
    write_packages(&|p, t| r.write(p, t));
    // Nothing committed: a scan judges the files on disk by the configs on disk.
    assert_exit(&r.hygiene(&["scan", "packages/api/fixtures"]), 0);
    let out = r.hygiene(&["scan", "packages/web/fixtures", "packages/api/fixtures"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(t.contains("packages/web/fixtures/t.txt"), "{t}");
    assert!(!t.contains("packages/api/fixtures/t.txt"), "{t}");
    r.write("packages/api/.hygiene.toml", TYPO);
    let out = r.hygiene(&["scan", "packages/api/fixtures"]);
    let t = text(&out);
    assert_exit(&out, 2);
    assert!(t.contains("packages/api/.hygiene.toml:2"), "{t}");
}

/// A bare clone of a repository holding [`write_packages`], the web fixture added on
/// `feature/web` after the rest.
fn bare_clone(sb: &Sandbox, name: &str, api_config: Option<&str>) -> std::path::PathBuf {
    let dev = sb.repo_on(name, "main");
    write_packages(&|p, t| dev.write(p, t));
    if let Some(text) = api_config {
        dev.write("packages/api/.hygiene.toml", text);
    }
    dev.git(&["add", "-A"]);
    dev.commit_no_verify("chore: start");
    let bare = sb.path().join(format!("{name}.git"));
    let out = sb
        .cmd("git", sb.path())
        .args(["clone", "-q", "--bare"])
        .arg(&dev.dir)
        .arg(&bare)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    bare
}

#[test]
fn scan_history_and_ci_of_a_bare_repository_use_its_committed_nested_configs() {
    let sb = Sandbox::new();
    let bare = bare_clone(&sb, "good", None);
    let run = |args: &[&str]| sb.cmd(bin(), &bare).args(args).output().unwrap();
    let out = run(&["scan", "--history", "main"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(t.contains("packages/web/fixtures/t.txt"), "{t}");
    assert!(
        !t.contains("packages/api/fixtures/t.txt"),
        "HEAD:packages/api/.hygiene.toml allows its fixtures: {t}"
    );

    let bare = bare_clone(&sb, "typo", Some(TYPO));
    let run = |args: &[&str]| sb.cmd(bin(), &bare).args(args).output().unwrap();
    for args in [
        &["scan", "--history", "main"][..],
        &[
            "ci",
            "--base",
            "main",
            "--head",
            "main",
            "--branch",
            "feature/x",
        ][..],
    ] {
        let out = run(args);
        let t = text(&out);
        assert_exit(&out, 2);
        assert!(
            t.contains("HEAD:packages/api/.hygiene.toml:2"),
            "{args:?}: {t}"
        );
        assert!(t.contains("allow_pathz"), "{args:?}: {t}");
    }
}
