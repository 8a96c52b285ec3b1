//! End-to-end: `[commit-msg] scopes = "workspace"` takes the allowed scopes from the monorepo's
//! packages, as the tree being committed declares them, judged by a real `git commit` through the
//! installed hooks.

use crate::support::*;

/// A monorepo with three npm workspace packages: `@acme/web` (scope `web`), `api`, and one
/// without a name (scope: its directory, `shared`).
fn monorepo<'a>(sb: &'a Sandbox, scopes: &str) -> Repo<'a> {
    let r = sb.repo("mono");
    r.write(
        ".hygiene.toml",
        format!("[commit-msg]\nscopes = {scopes}\n"),
    );
    r.write(
        "package.json",
        "{\n  \"name\": \"mono\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\", \"!packages/legacy\"]\n}\n",
    );
    r.write("packages/web/package.json", "{\"name\": \"@acme/web\"}\n");
    r.write("packages/api/package.json", "{\"name\": \"api\"}\n");
    r.write("packages/shared/package.json", "{\"private\": true}\n");
    r.write("packages/legacy/package.json", "{\"name\": \"legacy\"}\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.install();
    r
}

fn commit_with(r: &Repo<'_>, path: &str, msg: &str) -> std::process::Output {
    r.write(path, msg);
    r.git(&["add", "--", path]);
    r.commit(msg)
}

#[test]
fn package_names_are_the_scopes_of_a_real_commit() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, "\"workspace\"");
    assert_exit(
        &commit_with(&r, "packages/web/a.txt", "feat(web): add the login page"),
        0,
    );
    assert_exit(
        &commit_with(&r, "packages/api/a.txt", "fix(api): handle empty body"),
        0,
    );
    assert_exit(
        &commit_with(&r, "packages/shared/a.txt", "refactor(shared): split util"),
        0,
    );
    // The full npm name is accepted too.
    assert_exit(
        &commit_with(&r, "packages/web/b.txt", "feat(@acme/web): dark mode"),
        0,
    );
    let before = r.commit_count();
    let out = commit_with(&r, "packages/web/c.txt", "feat(nope): something");
    assert_ne!(code(&out), 0);
    let t = text(&out);
    assert!(t.contains("`nope` is not an allowed scope"), "{t}");
    assert!(t.contains("use one of api, shared, web"), "{t}");
    // Excluded by `!packages/legacy`.
    assert!(!t.contains("legacy"), "{t}");
    assert_eq!(r.commit_count(), before);
    r.git(&["reset", "-q"]);
    assert_ne!(
        code(&commit_with(&r, "packages/legacy/a.txt", "feat(legacy): x")),
        0
    );
}

#[test]
fn scopes_come_from_the_index_not_the_work_tree() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, "\"workspace\"");
    // A package on disk but not staged is not part of what is committed.
    r.write("packages/ghost/package.json", "{\"name\": \"ghost\"}\n");
    assert_ne!(
        code(&commit_with(&r, "packages/web/a.txt", "feat(ghost): x")),
        0
    );
    // Staged in the commit that uses it: allowed.
    r.git(&["add", "packages/ghost/package.json"]);
    assert_exit(
        &commit_with(&r, "packages/ghost/a.txt", "feat(ghost): first"),
        0,
    );
}

#[test]
fn extra_scopes_sit_beside_the_packages() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, "{ workspace = true, extra = [\"deps\", \"ci\"] }");
    assert_exit(&commit_with(&r, "a.txt", "chore(deps): bump left-pad"), 0);
    assert_exit(&commit_with(&r, "packages/api/a.txt", "fix(api): x"), 0);
    let out = commit_with(&r, "b.txt", "chore(tooling): x");
    assert_ne!(code(&out), 0);
    assert!(
        text(&out).contains("use one of api, shared, web, deps, ci"),
        "{}",
        text(&out)
    );
}

#[test]
fn pnpm_and_cargo_workspaces_are_read_too() {
    let sb = Sandbox::new();
    let r = sb.repo("pnpm");
    r.write(".hygiene.toml", "[commit-msg]\nscopes = \"workspace\"\n");
    r.write(
        "pnpm-workspace.yaml",
        "packages:\n  - 'apps/*'\n  # libraries\n  - \"libs/**\"\n",
    );
    r.write("apps/site/package.json", "{\"name\": \"@acme/site\"}\n");
    r.write("libs/ui/kit/package.json", "{\"name\": \"kit\"}\n");
    r.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n",
    );
    r.write(
        "crates/core/Cargo.toml",
        "[package]\nname = \"acme-core\"\nversion = \"0.1.0\"\n",
    );
    r.write("crates/old/Cargo.toml", "[package]\nname = \"old\"\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.install();
    for msg in ["feat(site): x", "feat(kit): x", "fix(acme-core): x"] {
        assert_exit(&commit_with(&r, "n.txt", msg), 0);
    }
    let out = commit_with(&r, "n.txt", "fix(old): x");
    assert_ne!(code(&out), 0);
    assert!(
        text(&out).contains("use one of site, kit, acme-core"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_bad_workspace_file_is_an_error_with_its_line() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, "\"workspace\"");
    r.write(
        "package.json",
        "{\n  \"name\": \"mono\",\n  \"workspaces\": 3\n}\n",
    );
    r.git(&["add", "package.json"]);
    let out = r.commit("feat(web): x");
    assert_ne!(code(&out), 0);
    assert!(
        text(&out).contains("package.json:3:3: `workspaces` must be a list"),
        "{}",
        text(&out)
    );

    r.write("pnpm-workspace.yaml", "packages:\n  - 'a/*'\n  nope: 1\n");
    r.write("package.json", "{\"name\": \"mono\"}\n");
    r.git(&["add", "-A"]);
    let out = r.commit("feat(web): x");
    assert!(
        text(&out).contains("pnpm-workspace.yaml:3:1:"),
        "{}",
        text(&out)
    );

    // No workspace at all: an error, not every scope refused in silence.
    r.git(&["rm", "-q", "--cached", "pnpm-workspace.yaml"]);
    let out = r.commit("feat(web): x");
    assert!(
        text(&out).contains("declares no workspace"),
        "{}",
        text(&out)
    );
}

#[test]
fn explain_scope_mentions_the_workspace() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let out = r.hygiene(&["explain", "scope"]);
    assert_exit(&out, 0);
    assert!(
        text(&out).contains("scopes = \"workspace\""),
        "{}",
        text(&out)
    );
}

#[test]
fn ci_judges_each_commit_against_the_workspace_of_the_tip() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, "\"workspace\"");
    let base = r.head();
    r.add_commit(
        "packages/admin/package.json",
        "{\"name\": \"admin\"}\n",
        "feat(admin): start",
    );
    r.add_commit("x.txt", "x\n", "feat(nope): x");
    let out = r.hygiene(&["ci", "--base", &base]);
    assert_exit(&out, 1);
    let t = text(&out);
    assert!(t.contains("`nope` is not an allowed scope"), "{t}");
    assert!(!t.contains("`admin` is not"), "{t}");
    assert!(t.contains("use one of admin, api, shared, web"), "{t}");
}

#[test]
fn directory_globs_name_scopes_without_a_workspace() {
    let sb = Sandbox::new();
    let r = sb.repo("dirs");
    r.write(
        ".hygiene.toml",
        "[commit-msg]\nscopes = { dirs = [\"services/*\", \"!services/attic\"], extra = [\"ci\"] }\n",
    );
    for f in [
        "services/billing/main.go",
        "services/ledger/main.go",
        "services/attic/old.go",
        "tools/gen/main.go",
    ] {
        r.write(f, "package main\n");
    }
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.install();
    assert_exit(
        &commit_with(&r, "services/billing/a.txt", "fix(billing): x"),
        0,
    );
    assert_exit(&commit_with(&r, "a.txt", "ci(ci): x"), 0);
    let out = commit_with(&r, "tools/gen/a.txt", "feat(gen): x");
    assert_ne!(code(&out), 0);
    assert!(
        text(&out).contains("use one of billing, ledger, ci"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_cached_scopes_follow_every_change_to_a_manifest() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, "\"workspace\"");
    let cache = r.dir.join(".git/hygiene/workspace-scopes.json");
    assert_exit(
        &commit_with(&r, "packages/web/a.txt", "feat(web): login page"),
        0,
    );
    assert!(cache.is_file(), "the packages are cached after a commit");
    // A cache hit answers as the workspace did.
    assert_exit(&commit_with(&r, "packages/api/a.txt", "fix(api): body"), 0);

    // A member's name edited (same path, new blob): the new name is the scope, the old is not.
    r.write("packages/api/package.json", "{\"name\": \"backend\"}\n");
    r.git(&["add", "-A"]);
    let out = commit_with(&r, "packages/api/b.txt", "fix(api): again");
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_exit(
        &commit_with(&r, "packages/api/b.txt", "fix(backend): renamed"),
        0,
    );

    // A package added (a new manifest path) and one removed.
    r.write("packages/mobile/package.json", "{\"name\": \"mobile\"}\n");
    r.git(&["add", "-A"]);
    assert_exit(
        &commit_with(&r, "packages/mobile/a.txt", "feat(mobile): start"),
        0,
    );
    r.git(&["rm", "-q", "-r", "packages/shared"]);
    let out = commit_with(&r, "packages/web/z.txt", "refactor(shared): gone");
    assert_ne!(code(&out), 0, "{}", text(&out));

    // The workspace's own globs edited: legacy is no longer excluded.
    r.write(
        "package.json",
        "{\n  \"name\": \"mono\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    r.git(&["add", "package.json"]);
    assert_exit(
        &commit_with(&r, "packages/legacy/a.txt", "fix(legacy): back"),
        0,
    );

    // A broken cache file is ignored and replaced.
    std::fs::write(&cache, "{").unwrap();
    assert_exit(
        &commit_with(&r, "packages/web/y.txt", "feat(web): still fine"),
        0,
    );
    assert!(std::fs::read_to_string(&cache)
        .unwrap()
        .starts_with("{\"key\""));
}
