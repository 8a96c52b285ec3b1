//! End-to-end: nested `.hygiene.toml` files in a monorepo of three packages, at a real
//! `git commit` with the hooks installed, and `config --show`.

use crate::support::*;

const SHOW: &str = "config";

/// packages/api, packages/web, services/billing, one commit, hooks installed. `log` is where
/// the web package's linter writes its directory and arguments.
fn monorepo<'a>(sb: &'a Sandbox, log: &std::path::Path) -> Repo<'a> {
    let r = sb.repo("mono");
    r.write(".hygiene.toml", "[secrets]\nallow_paths = [\"docs/**\"]\n");
    r.write(
        "packages/web/.hygiene.toml",
        format!(
            "[[lint]]\nname = \"web-lint\"\nglob = \"*.ts\"\nrun = \"sh -c 'echo \\\"$PWD $*\\\" >> {}' lint\"\n",
            log.display()
        ),
    );
    r.write(
        "packages/api/.hygiene.toml",
        "[secrets]\nallow_paths = [\"fixtures/**\"]\n",
    );
    r.write(
        "services/billing/.hygiene.toml",
        "root = true\n[migrations]\npaths = [\"db/changes/*.sql\"]\n",
    );
    for p in [
        "packages/api/a.ts",
        "packages/web/w.ts",
        "services/billing/b.ts",
    ] {
        r.write(p, "export const x = 1;\n");
    }
    r.git(&["add", "."]);
    r.commit_no_verify("chore: init");
    r.install();
    r
}

fn github_token() -> String {
    ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat()
}

#[test]
fn a_nested_lint_entry_runs_only_on_its_package_and_in_its_directory() {
    let sb = Sandbox::new();
    let log = sb.path().join("lint.log");
    let r = monorepo(&sb, &log);
    stage(&r, "packages/web/src/page.ts", "export const p = 1;\n");
    stage(&r, "packages/api/server.ts", "export const s = 1;\n");
    let out = r.commit("feat: page and server");
    assert_exit(&out, 0);
    let ran = std::fs::read_to_string(&log).expect("the web linter ran");
    let web = r.dir.join("packages/web").canonicalize().unwrap();
    assert_eq!(
        ran.trim(),
        format!("{} src/page.ts", web.display()),
        "run in packages/web, on its file only, relative to it"
    );
}

#[test]
fn a_nested_secrets_allow_path_applies_only_below_it_and_root_true_stops_inheritance() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    let leak = format!("token = \"{}\"\n", github_token());
    stage(&r, "packages/api/fixtures/t.txt", &leak);
    assert_exit(&r.commit("test: api fixture"), 0);

    stage(&r, "packages/web/fixtures/t.txt", &leak);
    let out = r.commit("test: web fixture");
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("packages/web/fixtures/t.txt"),
        "{}",
        text(&out)
    );
    r.git(&["rm", "-q", "--cached", "packages/web/fixtures/t.txt"]);

    // The root allows docs/**; billing says root = true, so not under it.
    stage(&r, "docs/t.txt", &leak);
    assert_exit(&r.commit("docs: sample"), 0);
    stage(&r, "services/billing/docs/t.txt", &leak);
    let out = r.commit("docs: billing sample");
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("services/billing/docs/t.txt"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_nested_migrations_directory_is_recognised_only_in_its_service() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    let drop = "-- reviewed-by: Jane Doe <jane@example.com>\nDROP TABLE invoices;\n";
    stage(&r, "packages/api/db/changes/001_drop.sql", drop);
    assert_exit(&r.commit("chore: not a migration here"), 0);
    stage(&r, "services/billing/db/changes/001_drop.sql", drop);
    let out = r.commit("feat: drop invoices");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/destructive"), "{t}");
    assert!(
        t.contains("services/billing/db/changes/001_drop.sql"),
        "{t}"
    );
}

#[test]
fn config_show_names_the_file_and_line_of_each_value() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    let out = r.hygiene(&[SHOW, "--show", "packages/web/x.ts"]);
    assert_exit(&out, 0);
    let t = text(&out);
    assert!(
        t.contains("secrets.allow_paths = [\"docs/**\"]    # .hygiene.toml:2"),
        "{t}"
    );
    assert!(t.contains("lint[web-lint] = {"), "{t}");
    assert!(t.contains("cwd = \"packages/web\""), "{t}");
    assert!(t.contains("# packages/web/.hygiene.toml:2"), "{t}");

    let out = r.hygiene(&[SHOW, "--show", "packages/api/x.ts"]);
    let t = text(&out);
    assert!(
        t.contains("secrets.allow_paths = [\"docs/**\", \"packages/api/fixtures/**\"]    # .hygiene.toml:2, packages/api/.hygiene.toml:2"),
        "{t}"
    );
    let out = r.hygiene(&[SHOW, "--show"]);
    let t = text(&out);
    assert!(t.contains("# the root config"), "{t}");
    assert!(!t.contains("web-lint"), "{t}");
}

#[test]
fn a_nested_config_setting_a_branch_key_is_an_error_at_its_line() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    stage(
        &r,
        "packages/api/.hygiene.toml",
        "[secrets]\nallow_paths = [\"fixtures/**\"]\n\n[branch]\nprotected = [\"main\"]\n",
    );
    let before = r.commit_count();
    let out = r.commit("chore: branch rules");
    assert_ne!(code(&out), 0, "{}", text(&out));
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(t.contains("packages/api/.hygiene.toml:4:"), "{t}");
    assert!(t.contains("root .hygiene.toml"), "{t}");
    assert_eq!(r.commit_count(), before);
}

#[test]
fn ci_judges_each_commit_with_the_nested_configs_too() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    r.git(&["checkout", "-q", "-b", "feature/fixtures"]);
    let leak = format!("token = \"{}\"\n", github_token());
    r.add_commit("packages/api/fixtures/t.txt", &leak, "test: api fixture");
    assert_exit(&r.hygiene(&["ci", "--base", BRANCH]), 0);
    r.add_commit("packages/web/fixtures/t.txt", &leak, "test: web fixture");
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("packages/web/fixtures/t.txt"), "{t}");
    assert!(!t.contains("packages/api/fixtures/t.txt"), "{t}");
}

#[test]
fn a_missing_tool_of_a_nested_entry_says_where_it_runs() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    stage(
        &r,
        "packages/web/.hygiene.toml",
        "[[lint]]\nname = \"gone\"\nglob = \"*.ts\"\nrun = \"no-such-linter-xyz\"\n",
    );
    stage(&r, "packages/web/n.ts", "export const n = 1;\n");
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(
        t.contains("lint `gone` (a [[lint]] entry running in packages/web;"),
        "{t}"
    );
    assert!(t.contains("no-such-linter-xyz"), "{t}");
}

#[test]
fn nested_adr_paths_make_only_their_package_architecture_significant() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    stage(
        &r,
        "docs/adr/0001-record-architecture-decisions.md",
        "# 1. Record architecture decisions\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n",
    );
    stage(
        &r,
        "packages/web/.hygiene.toml",
        "[adr]\npaths = [\"schemas/**\"]\n",
    );
    assert_exit(&r.commit("docs: first ADR"), 0);
    stage(&r, "packages/api/schemas/order.json", "{}\n");
    assert_exit(&r.commit("feat: api schema"), 0);
    stage(&r, "packages/web/schemas/order.json", "{}\n");
    let out = r.commit("feat: web schema");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-missing"), "{t}");
    assert!(t.contains("packages/web/schemas/order.json"), "{t}");
}

const FIRST_ADR: &str = "# 1. Record architecture decisions\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n";

#[test]
fn root_true_stops_the_adr_directories_of_the_configs_above() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    stage(
        &r,
        "docs/adr/0001-record-architecture-decisions.md",
        FIRST_ADR,
    );
    stage(
        &r,
        "services/billing/decisions/0001-record-architecture-decisions.md",
        FIRST_ADR,
    );
    stage(
        &r,
        "services/billing/.hygiene.toml",
        "root = true\n[adr]\ndirs = [\"decisions\"]\npaths = [\"schema/**\"]\n",
    );
    assert_exit(&r.commit("docs: first ADRs"), 0);
    // The root's ADR directory is not billing's: a link to it is no link for billing.
    stage(&r, "services/billing/schema/a.json", "{}\n");
    let out =
        r.commit("feat: billing schema\n\nRefs: docs/adr/0001-record-architecture-decisions.md");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-missing"), "{t}");
    let out = r.commit(
        "feat: billing schema\n\nRefs: services/billing/decisions/0001-record-architecture-decisions.md",
    );
    assert_exit(&out, 0);
}

#[test]
fn a_nested_list_adds_to_the_built_in_default_unless_root_true() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    stage(
        &r,
        "docs/adr/0001-record-architecture-decisions.md",
        FIRST_ADR,
    );
    stage(
        &r,
        "packages/web/.hygiene.toml",
        "[adr]\npaths = [\"schemas/**\"]\n",
    );
    stage(
        &r,
        "services/billing/.hygiene.toml",
        "root = true\n[adr]\npaths = [\"schema/**\"]\n",
    );
    assert_exit(&r.commit("docs: first ADR"), 0);
    // `**/Dockerfile` is a built-in architecture-significant path the root does not write.
    stage(&r, "packages/web/Dockerfile", "FROM scratch\n");
    let out = r.commit("build: web image");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-missing"), "{t}");
    assert!(t.contains("packages/web/Dockerfile"), "{t}");
    r.git(&["rm", "-q", "--cached", "packages/web/Dockerfile"]);
    // With `root = true` billing's list is the whole list, as a root config's would be.
    stage(&r, "services/billing/Dockerfile", "FROM scratch\n");
    assert_exit(&r.commit("build: billing image"), 0);
}

#[test]
fn a_broken_nested_config_no_change_touches_fails_ci_and_all_files() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    r.git(&["checkout", "-q", "-b", "feature/typo"]);
    r.write(
        "packages/api/.hygiene.toml",
        "[secrets]\nallow_pathz = [\"fixtures/**\"]\n",
    );
    r.git(&["add", "."]);
    r.commit_no_verify("chore: typo in api config");
    r.git(&["checkout", "-q", BRANCH]);
    r.git(&["merge", "-q", "--ff-only", "feature/typo"]);
    r.git(&["checkout", "-q", "-b", "feature/web"]);
    r.add_commit(
        "packages/web/x.ts",
        "export const y = 2;\n",
        "feat: web only",
    );
    for args in [
        &["ci", "--base", BRANCH][..],
        &["check", "--all-files"][..],
        &["check", "--files", "packages/web/x.ts"][..],
        &["scan", "--history", &format!("{BRANCH}..HEAD")][..],
    ] {
        let out = r.hygiene(args);
        let t = text(&out);
        assert_eq!(code(&out), 2, "{args:?}: {t}");
        assert!(t.contains("packages/api/.hygiene.toml:2"), "{args:?}: {t}");
        assert!(t.contains("allow_pathz"), "{args:?}: {t}");
    }
}

/// A nested config that is not TOML at all stops the commit with the typed parse's located
/// error (line, column, the `init` hint), not a bare parser message.
#[test]
fn a_nested_config_that_is_not_toml_is_refused_at_its_line() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    stage(
        &r,
        "packages/api/.hygiene.toml",
        "[secrets]\nallow_paths = [\"fixtures/**\"\n",
    );
    r.write("packages/api/b.ts", "export const z = 3;\n");
    r.git(&["add", "."]);
    let before = r.commit_count();
    let out = r.commit("chore: broken config");
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("packages/api/.hygiene.toml:3:1"), "{t}");
    assert!(t.contains("git hygiene init"), "{t}");
    assert_eq!(r.commit_count(), before);
}

#[test]
fn config_show_labels_every_value_from_the_built_in_defaults() {
    let sb = Sandbox::new();
    let r = monorepo(&sb, &sb.path().join("log"));
    r.write(
        "packages/api/.hygiene.toml",
        "[adr]\npaths = [\"schemas/**\"]\n",
    );
    r.git(&["add", "."]);
    r.commit_no_verify("chore: api ADR paths");
    let value_lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    };
    // A nested list adds to the built-in one: both sources are named, the default first.
    let out = r.hygiene(&[SHOW, "--show", "packages/api/x.ts"]);
    assert_exit(&out, 0);
    let t = text(&out);
    let paths = value_lines(&t)
        .into_iter()
        .find(|l| l.starts_with("adr.paths = "))
        .unwrap_or_else(|| panic!("adr.paths listed: {t}"));
    assert!(paths.contains("\"**/Dockerfile\""), "{paths}");
    assert!(paths.contains("\"packages/api/schemas/**\""), "{paths}");
    assert!(
        paths.ends_with("    # (built-in default), packages/api/.hygiene.toml:2"),
        "{paths}"
    );
    assert!(
        t.contains("adr.dirs = [") && t.contains("]    # (built-in default)\n"),
        "{t}"
    );
    // Every key is listed: a scalar no file sets shows its built-in value, one a nested file
    // sets keeps that file's line, and an unset one is named in a comment.
    assert!(
        t.contains("\ncommit-msg.max_subject_length = 72    # (built-in default)\n"),
        "{t}"
    );
    assert!(
        t.contains("\nsecrets.max_file_size = 10485760    # (built-in default)\n"),
        "{t}"
    );
    assert!(
        t.contains("\nadr.enabled = true    # (built-in default)\n"),
        "{t}"
    );
    assert!(
        t.contains("\n# branch.pattern is not set    # (built-in default)\n"),
        "{t}"
    );
    assert_eq!(t.matches("\nadr.paths = ").count(), 1, "{t}");
    // A scalar the root file sets: its line, once, for every file it judges.
    r.write(
        ".hygiene.toml",
        "[secrets]\nallow_paths = [\"docs/**\"]\nmax_file_size = \"1 KiB\"\n",
    );
    let t = text(&r.hygiene(&[SHOW, "--show", "packages/api/x.ts"]));
    assert!(
        t.contains("\nsecrets.max_file_size = \"1 KiB\"    # .hygiene.toml:3\n"),
        "{t}"
    );
    assert_eq!(t.matches("secrets.max_file_size = ").count(), 1, "{t}");
    // `root = true` leaves the root file out: the default again.
    let t = text(&r.hygiene(&[SHOW, "--show", "services/billing/b.ts"]));
    assert!(
        t.contains("\nsecrets.max_file_size = 10485760    # (built-in default)\n"),
        "{t}"
    );
    // `root = true`: billing's config stands alone, so does the root one; every value listed
    // still says where it came from.
    for args in [
        &[SHOW, "--show", "packages/api/x.ts"][..],
        &[SHOW, "--show", "services/billing/b.ts"][..],
        &[SHOW, "--show"][..],
    ] {
        let out = r.hygiene(args);
        let t = text(&out);
        let lines = value_lines(&t);
        if args.len() != 3 || args[2] != "packages/api/x.ts" {
            let builtin = |l: &String| l.starts_with("adr.paths = [") && l.ends_with(BUILT_IN);
            assert!(lines.iter().any(builtin), "{args:?}: {t}");
        }
        for l in lines {
            assert!(
                l.contains("    # ") && (l.contains(BUILT_IN) || l.contains(".hygiene.toml:")),
                "{args:?}: a value without its source: {l}\n{t}"
            );
        }
    }
}

const BUILT_IN: &str = "(built-in default)";
