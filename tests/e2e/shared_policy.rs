//! End-to-end: `extends` with a shared policy in a local bare repository pinned to a tag, read
//! at a real `git commit`, cached for offline use, refreshed by `policy update`; local files
//! extending each other.

use std::path::Path;

use crate::support::*;

/// A bare repository holding `policy.toml` = `policy`, tagged `tag`.
fn publish(sb: &Sandbox, bare: &Path, policy: &str, tag: &str) {
    let src = sb.repo(&format!("policy-src-{tag}"));
    src.write("policy.toml", policy);
    src.git(&["add", "."]);
    src.commit_no_verify("policy");
    src.git(&[
        "push",
        "-q",
        "-f",
        &format!("file://{}", bare.display()),
        &format!("HEAD:refs/tags/{tag}"),
    ]);
}

/// The policy v1: secrets allowed under fixtures/.
const NO_FIXTURES: &str = "[secrets]\nallow_paths = [\"fixtures/**\"]\n";

fn github_token() -> String {
    ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat()
}

fn app<'a>(sb: &'a Sandbox, bare: &Path, rev: &str) -> Repo<'a> {
    let r = sb.repo("app");
    r.write(
        ".hygiene.toml",
        format!(
            "extends = [{{ git = \"file://{}\", rev = \"{rev}\", path = \"policy.toml\" }}]\n",
            bare.display()
        ),
    );
    r.git(&["add", "."]);
    r.commit_no_verify("chore: init");
    r.install();
    r
}

#[test]
fn the_policy_applies_at_commit_offline_after_the_first_fetch_and_policy_update_refreshes() {
    let sb = Sandbox::new();
    let bare = sb.bare("policy.git");
    publish(&sb, &bare, NO_FIXTURES, "v1");
    let r = app(&sb, &bare, "v1");
    let leak = format!("token = \"{}\"\n", github_token());
    stage(&r, "fixtures/a.txt", &leak);
    assert_exit(&r.commit("test: fixture allowed by the policy"), 0);

    // Offline: the source is gone, the cache answers.
    let moved = sb.path().join("moved.git");
    std::fs::rename(&bare, &moved).unwrap();
    stage(&r, "fixtures/b.txt", &leak);
    assert_exit(&r.commit("test: offline"), 0);
    stage(&r, "src/c.txt", &leak);
    assert_eq!(code(&r.commit("feat: outside fixtures")), 1);
    r.git(&["rm", "-q", "--cached", "src/c.txt"]);

    // Unreachable and nothing cached for a new rev: an error that says what to do.
    r.write(
        ".hygiene.toml",
        format!(
            "extends = [{{ git = \"file://{}\", rev = \"v2\", path = \"policy.toml\" }}]\n",
            bare.display()
        ),
    );
    let out = r.hygiene(&["check"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains(".hygiene.toml:1:"), "{}", text(&out));
    assert!(text(&out).contains("policy update"), "{}", text(&out));

    // The source is back with a moved tag v2; `policy update` fetches it.
    std::fs::rename(&moved, &bare).unwrap();
    publish(&sb, &bare, "[secrets]\nallow_paths = [\"src/**\"]\n", "v2");
    let out = r.hygiene(&["policy", "update"]);
    assert_exit(&out, 0);
    assert!(text(&out).contains("@v2:policy.toml"), "{}", text(&out));
    r.git(&["add", ".hygiene.toml"]);
    stage(&r, "src/c.txt", &leak);
    assert_exit(&r.commit("feat: src allowed by v2"), 0);

    // The tag moves: commits keep the cached copy until `policy update` fetches it.
    publish(&sb, &bare, "[secrets]\nallow_paths = [\"lib/**\"]\n", "v2");
    stage(&r, "lib/d.txt", &leak);
    assert_eq!(code(&r.commit("feat: lib before the update")), 1);
    assert_exit(&r.hygiene(&["policy", "update"]), 0);
    assert_exit(&r.commit("feat: lib after the update"), 0);
}

#[test]
fn a_local_key_overrides_the_policy() {
    let sb = Sandbox::new();
    let bare = sb.bare("policy.git");
    publish(&sb, &bare, "[secrets]\nallow_paths = [\"fixtures/**\"]\nallow_regexes = [\"^never$\"]\n[hygiene]\nmax_file_size = 10\n", "v1");
    let r = app(&sb, &bare, "v1");
    let local = format!(
        "extends = [{{ git = \"file://{}\", rev = \"v1\", path = \"policy.toml\" }}]\n[hygiene]\nmax_file_size = \"1 MiB\"\n",
        bare.display()
    );
    stage(&r, ".hygiene.toml", &local);
    stage(&r, "big.txt", &"x".repeat(100));
    assert_exit(&r.commit("feat: a 100-byte file is fine locally"), 0);
    let out = r.hygiene(&["config", "--show"]);
    let t = text(&out);
    assert!(
        t.contains("hygiene.max_file_size = \"1 MiB\"    # .hygiene.toml:3"),
        "{t}"
    );
    assert!(t.contains("@v1:policy.toml:2"), "{t}");
}

#[test]
fn a_cycle_between_two_local_files_is_an_error_at_the_line() {
    let sb = Sandbox::new();
    let r = sb.repo("app");
    r.write(".hygiene.toml", "extends = [\"org/a.toml\"]\n");
    r.write("org/a.toml", "extends = [\"b.toml\"]\n");
    r.write("org/b.toml", "# b\nextends = [\"a.toml\"]\n");
    r.git(&["add", "."]);
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(t.contains("org/b.toml:2:"), "{t}");
    assert!(t.contains("cycle"), "{t}");
}

#[test]
fn an_unknown_key_in_the_shared_file_names_that_file() {
    let sb = Sandbox::new();
    let bare = sb.bare("policy.git");
    publish(&sb, &bare, "[secrets]\nallow_pathz = [\"x\"]\n", "v1");
    let r = sb.repo("app");
    r.write(
        ".hygiene.toml",
        format!(
            "extends = [{{ git = \"file://{}\", rev = \"v1\", path = \"policy.toml\" }}]\n",
            bare.display()
        ),
    );
    r.git(&["add", "."]);
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(t.contains("@v1:policy.toml:2:1"), "{t}");
    assert!(t.contains("allow_pathz"), "{t}");
}
