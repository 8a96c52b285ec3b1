//! End-to-end: the lint presets with the real tools — ESLint, Prettier and Biome from
//! tests/tools (`npm ci --prefix tests/tools`), Black and ruff from tests/tools/requirements.txt,
//! terraform when it is on PATH — each pointed at its executable with the `tool` field. A badly
//! formatted staged file stops the real `git commit` and the output shows the tool's own report;
//! a clean one commits; fix mode reformats the staged file with the tool and re-stages it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// A tool from tests/tools/node_modules/.bin; these tests must not skip when it is missing.
fn node_tool(name: &str) -> PathBuf {
    let p = node_modules().join(".bin").join(name);
    assert!(
        p.is_file(),
        "{} is missing: run `npm ci --prefix tests/tools`",
        p.display()
    );
    p
}

fn node_modules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules")
}

/// Where pip put a Python tool (the interpreter's scripts directory, the user one, else PATH),
/// as an absolute path: a version manager's shim on PATH may not work under the sandbox HOME.
pub(crate) fn py_tool(name: &str) -> PathBuf {
    let script = "import os, shutil, sys, sysconfig\n\
        n = sys.argv[1]\n\
        for d in (sysconfig.get_path('scripts'), sysconfig.get_path('scripts', os.name + '_user')):\n    \
            p = os.path.join(d, n)\n    \
            if os.path.isfile(p):\n        \
                print(p); sys.exit()\n\
        print(shutil.which(n) or '')\n";
    let out = Command::new("python3")
        .args(["-c", script, name])
        .output()
        .expect("python3");
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(
        p.is_file(),
        "`{name}` is not installed: python3 -m pip install -r tests/tools/requirements.txt"
    );
    p
}

/// A TOML string holding `p`.
pub(crate) fn toml_path(p: &Path) -> String {
    toml::Value::String(p.display().to_string()).to_string()
}

/// One preset on one file: the project files it needs (committed), and what the file holds.
struct Case<'a> {
    lint: String,
    project: &'a [(&'a str, &'a str)],
    path: &'a str,
    clean: &'a str,
    bad: &'a str,
    /// What the failing commit's output must show (the tool's report).
    report: &'a [&'a str],
    /// What the tool's fix makes of `bad`.
    fixed: &'a str,
    /// Fix through `[lint_options] fix = true` in the hook, rather than `git hygiene check --fix`.
    fix_in_hook: bool,
}

fn project<'a>(sb: &'a Sandbox, files: &[(&str, &str)]) -> Repo<'a> {
    let r = sb.repo("r");
    r.add_commit("README.md", "project\n", "chore: init");
    for (path, content) in files {
        r.add_commit(path, content, "chore: tool config");
    }
    r.install();
    r
}

fn run_case(c: &Case<'_>) {
    run_case_with(c, |_| {});
}

/// [`run_case`], with `prepare` run on the repository before the first commit.
fn run_case_with(c: &Case<'_>, prepare: impl Fn(&Repo<'_>)) {
    let sb = Sandbox::new();
    let r = project(&sb, c.project);
    prepare(&r);
    r.write(".hygiene.toml", &c.lint);

    r.write(c.path, c.clean);
    r.git(&["add", "--", c.path]);
    let out = r.commit("feat: clean file");
    assert_exit(&out, 0);
    let commits = r.commit_count();

    r.write(c.path, c.bad);
    r.git(&["add", "--", c.path]);
    let out = r.commit("feat: bad file");
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert_eq!(r.commit_count(), commits, "{t}");
    assert!(t.contains("lint/failed"), "{t}");
    for want in c.report {
        assert!(
            t.contains(want),
            "the output shows the tool's report ({want:?}):\n{t}"
        );
    }
    assert!(
        t.contains("git hygiene check --fix"),
        "the help says how to fix:\n{t}"
    );
    assert_eq!(
        r.read(c.path),
        c.bad.as_bytes(),
        "check mode changes nothing"
    );

    if c.fix_in_hook {
        r.write(
            ".hygiene.toml",
            format!("[lint_options]\nfix = true\n{}", c.lint),
        );
    } else {
        let out = r.hygiene(&["check", "--fix"]);
        assert_exit(&out, 0);
    }
    let out = r.commit("feat: fixed file");
    assert_exit(&out, 0);
    assert_eq!(r.commit_count(), commits + 1);
    assert_eq!(
        r.git(&["show", &format!("HEAD:{}", c.path)]),
        c.fixed.trim_end(),
        "the tool's fix is what was committed"
    );
    assert_eq!(r.read(c.path), c.fixed.as_bytes());
    assert_eq!(r.git(&["status", "--porcelain", "--", c.path]), "");
}

#[test]
fn black_shows_the_diff_it_would_apply_and_fixes_with_check_fix() {
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"black\"\ntool = {}\n",
            toml_path(&py_tool("black"))
        ),
        project: &[],
        path: "app.py",
        clean: "x = 1\n",
        bad: "x = {  'a':1 }\n",
        report: &[
            "would reformat app.py",
            "-x = {  'a':1 }",
            "+x = {\"a\": 1}",
        ],
        fixed: "x = {\"a\": 1}\n",
        fix_in_hook: false,
    });
}

#[test]
fn ruff_check_shows_the_violations_and_fix_mode_in_the_hook_removes_them() {
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"ruff\"\ntool = {}\n",
            toml_path(&py_tool("ruff"))
        ),
        // `fix = true` in the project's own ruff config must not make the check rewrite.
        project: &[("ruff.toml", "fix = true\n")],
        path: "app.py",
        clean: "print(1)\n",
        bad: "import os\nimport sys\n\nprint(sys.argv)\n",
        report: &["F401", "`os` imported but unused", "app.py:1:8"],
        fixed: "import sys\n\nprint(sys.argv)\n",
        fix_in_hook: true,
    });
}

#[test]
fn ruff_format_shows_the_diff_and_fixes_with_check_fix() {
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"ruff-format\"\ntool = {}\n",
            toml_path(&py_tool("ruff"))
        ),
        project: &[],
        path: "pkg/mod.py",
        clean: "y = 2\n",
        bad: "def f( a ):\n  return a\n",
        report: &["-def f( a ):", "+def f(a):", "+    return a"],
        fixed: "def f(a):\n    return a\n",
        fix_in_hook: false,
    });
}

#[test]
fn prettier_lists_the_files_to_reformat_and_fixes_in_the_hook() {
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"prettier\"\ntool = {}\n",
            toml_path(&node_tool("prettier"))
        ),
        project: &[],
        path: "web/app.ts",
        clean: "export const a = 1;\n",
        bad: "export const a = {b:1,\n  c:2}\n",
        report: &["[warn] web/app.ts"],
        fixed: "export const a = { b: 1, c: 2 };\n",
        fix_in_hook: true,
    });
}

/// ESLint's flat config: two core rules, one it can fix and one it cannot.
const ESLINT_CONFIG: &str =
    "export default [{ rules: { \"prefer-const\": \"error\", \"no-unused-vars\": \"error\" } }];\n";

#[cfg(unix)]
#[test]
fn eslint_through_a_relative_tool_path_reports_problems_and_fixes_what_it_can() {
    // The tools sit where a project keeps them, under a sub-directory the linter's PATH does not
    // get: only the `tool` path finds ESLint.
    let lint = "[[lint]]\npreset = \"eslint\"\ntool = \"tools/node_modules/.bin/eslint\"\n";
    node_tool("eslint");
    let case = Case {
        lint: lint.to_owned(),
        project: &[("eslint.config.mjs", ESLINT_CONFIG)],
        path: "src/app.js",
        clean: "const a = 1;\nconsole.log(a);\n",
        bad: "let a = 2;\nconsole.log(a);\n",
        report: &["prefer-const", "'a' is never reassigned"],
        fixed: "const a = 2;\nconsole.log(a);\n",
        fix_in_hook: false,
    };
    let sb = Sandbox::new();
    let r = project(&sb, case.project);
    link_tools(&r);
    r.write(".hygiene.toml", lint);
    // Without the tools the path names what is missing.
    std::fs::remove_file(r.dir.join("tools/node_modules")).unwrap();
    r.write("src/app.js", case.bad);
    r.git(&["add", "src/app.js"]);
    let out = r.hygiene(&["check"]);
    assert_exit(&out, 2);
    assert!(
        text(&out).contains("`tools/node_modules/.bin/eslint` does not exist"),
        "{}",
        text(&out)
    );
    link_tools(&r);
    // A problem the fixer cannot repair: fix mode still fails and shows it.
    r.write(
        "src/app.js",
        "let a = 2;\nconst unused = 3;\nconsole.log(a);\n",
    );
    r.git(&["add", "src/app.js"]);
    let out = r.hygiene(&["check", "--fix"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(
        t.contains("no-unused-vars") && t.contains("'unused' is assigned a value but never used"),
        "{t}"
    );
    assert!(
        !t.contains("prefer-const"),
        "what it could fix it fixed: {t}"
    );
    run_case_with(&case, link_tools);
}

/// `tools/node_modules` in the sandbox repository: a link to tests/tools/node_modules, kept out
/// of git.
#[cfg(unix)]
fn link_tools(r: &Repo<'_>) {
    std::fs::create_dir_all(r.dir.join("tools")).unwrap();
    std::os::unix::fs::symlink(node_modules(), r.dir.join("tools/node_modules")).unwrap();
    let exclude = r.dir.join(".git/info/exclude");
    let mut ex = std::fs::read_to_string(&exclude).unwrap_or_default();
    if !ex.contains("/tools/") {
        ex.push_str("/tools/\n");
        std::fs::write(exclude, ex).unwrap();
    }
}

#[test]
fn biome_check_shows_lint_and_format_problems_and_fixes_them() {
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"biome\"\ntool = {}\n",
            toml_path(&node_tool("biome"))
        ),
        project: &[],
        path: "src/app.ts",
        clean: "const a = 1;\nconsole.log(a);\n",
        bad: "let  y=2\nconsole.log(y)\n",
        report: &["lint/style/useConst", "Formatter would have printed"],
        fixed: "const y = 2;\nconsole.log(y);\n",
        fix_in_hook: false,
    });
}

#[test]
fn biome_format_shows_what_it_would_print_and_fixes_in_the_hook() {
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"biome-format\"\ntool = {}\n",
            toml_path(&node_tool("biome"))
        ),
        project: &[],
        path: "data.json",
        clean: "{ \"a\": 1 }\n",
        bad: "{\"a\":1,\n\"b\":[1,2]}\n",
        report: &["data.json format", "Formatter would have printed"],
        fixed: "{ \"a\": 1, \"b\": [1, 2] }\n",
        fix_in_hook: true,
    });
}

/// terraform is not installed from a registry here: these run when it is on PATH.
fn terraform() -> Option<PathBuf> {
    let found = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: terraform is not on PATH");
        return None;
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
}

#[test]
fn terraform_fmt_shows_the_diff_and_fixes_with_check_fix() {
    let Some(tf) = terraform() else { return };
    run_case(&Case {
        lint: format!(
            "[[lint]]\npreset = \"terraform\"\ntool = {}\n",
            toml_path(&tf)
        ),
        project: &[],
        path: "infra/main.tf",
        clean: "variable \"a\" {\n  type = string\n}\n",
        bad: "variable \"v\" {\n  type=string\n}\n",
        report: &["-  type=string", "+  type = string"],
        fixed: "variable \"v\" {\n  type = string\n}\n",
        fix_in_hook: false,
    });
}

#[test]
fn terraform_validate_judges_the_module_in_cwd() {
    let Some(tf) = terraform() else { return };
    let sb = Sandbox::new();
    let r = project(
        &sb,
        &[("infra/vars.tf", "variable \"a\" {\n  type = string\n}\n")],
    );
    r.write(
        ".hygiene.toml",
        format!(
            "[[lint]]\npreset = \"terraform-validate\"\ncwd = \"infra\"\ntool = {}\n",
            toml_path(&tf)
        ),
    );
    r.write("infra/out.tf", "output \"a\" {\n  value = var.a\n}\n");
    r.git(&["add", "infra/out.tf"]);
    assert_exit(&r.commit("feat: output"), 0);
    r.write("infra/out.tf", "output \"a\" {\n  value = var.missing\n}\n");
    r.git(&["add", "infra/out.tf"]);
    let out = r.commit("feat: broken output");
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(
        t.contains("lint/failed") && t.contains("Reference to undeclared input variable"),
        "{t}"
    );
    assert!(
        !t.contains("git hygiene check --fix"),
        "no fix to offer: {t}"
    );
}

#[test]
fn run_overridden_without_fix_is_a_config_error_that_says_what_to_write() {
    let black = toml_path(&py_tool("black"));
    let sb = Sandbox::new();
    let r = project(&sb, &[]);
    r.write(
        ".hygiene.toml",
        format!("[[lint]]\npreset = \"black\"\ntool = {black}\nrun = \"{{tool}} --check --diff --line-length 20 {{files}}\"\n"),
    );
    r.write("app.py", "x = 1\n");
    r.git(&["add", "app.py"]);
    let out = r.commit("feat: x");
    assert_ne!(code(&out), 0, "{}", text(&out));
    let out = r.hygiene(&["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_exit(&out, 2);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(".hygiene.toml:")
            && err.contains("`run` replaces the `black` preset's check")
            && err.contains("set `fix` as well")
            && err.contains("fix = false"),
        "{err}"
    );

    // Both given, with the same options: the fix makes what the check accepts.
    r.write(
        ".hygiene.toml",
        format!("[[lint]]\npreset = \"black\"\ntool = {black}\nrun = \"{{tool}} --check --diff --line-length 20 {{files}}\"\nfix = \"{{tool}} --quiet --line-length 20 {{files}}\"\n"),
    );
    r.write("app.py", "x = [111111, 222222, 333333]\n");
    r.git(&["add", "app.py"]);
    let out = r.commit("feat: long line");
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("+    111111,"), "{}", text(&out));
    assert_exit(&r.hygiene(&["check", "--fix"]), 0);
    assert_exit(&r.commit("feat: long line"), 0);
    assert_eq!(
        r.git(&["show", "HEAD:app.py"]),
        "x = [\n    111111,\n    222222,\n    333333,\n]"
    );

    // `fix = false`: the check alone, and no fix to offer.
    r.write(
        ".hygiene.toml",
        format!("[[lint]]\npreset = \"black\"\ntool = {black}\nrun = \"{{tool}} --check --diff --line-length 20 {{files}}\"\nfix = false\n"),
    );
    r.write("app.py", "y = [111111, 222222, 333333]\n");
    r.git(&["add", "app.py"]);
    let out = r.hygiene(&["check", "--fix"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(!t.contains("git hygiene check --fix"), "{t}");
    assert_eq!(r.git(&["show", ":app.py"]), "y = [111111, 222222, 333333]");
}
