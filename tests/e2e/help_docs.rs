//! End-to-end: `git hygiene --help` through git and `man`, `git hygiene <TAB>` through git's own
//! bash completion, and the generated pages shipped in pkgdata/ kept current.

use crate::support::*;

use std::path::{Path, PathBuf};

fn share() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pkgdata/data/share")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The packages ship pkgdata/data/share as committed; it must be what the binary generates, so a
/// new flag reaches the man page, the HTML page and the completions.
#[test]
fn shipped_docs_are_what_generate_docs_writes() {
    let sb = Sandbox::new();
    let fresh = sb.path().join("share");
    let out = sb
        .cmd(bin(), sb.path())
        .arg("generate-docs")
        .arg(&fresh)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let want = files_under(&fresh);
    assert!(
        want.iter().any(|p| p.ends_with("git-hygiene.1")),
        "{want:?}"
    );
    assert_eq!(
        files_under(&share()),
        want,
        "pkgdata/data/share is out of date: run `cargo run -- generate-docs pkgdata/data/share`"
    );
    for rel in want {
        assert!(
            std::fs::read(fresh.join(&rel)).unwrap() == std::fs::read(share().join(&rel)).unwrap(),
            "{} is out of date: run `cargo run -- generate-docs pkgdata/data/share`",
            rel.display()
        );
    }
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// git turns `git hygiene --help` into `man git-hygiene`; with the pages where a package puts them
/// (`<prefix>/share/man`), that shows our page instead of "No manual entry for git-hygiene".
#[test]
fn git_hygiene_help_shows_the_man_page() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let out = sb
        .cmd("git", &r.dir)
        .args(["hygiene", "--help"])
        .env("MANPATH", share().join("man"))
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    // man justifies lines: compare with runs of spaces folded.
    let t = squeeze(&text(&out));
    assert_eq!(
        code(&out),
        0,
        "needs man-db (`apt-get install man-db`; the README's test setup):\n{t}"
    );
    assert!(t.contains("git-hygiene - Is this change fit"), "{t}");
    assert!(t.contains("Exit status: 0 nothing blocking"), "{t}");
    assert!(t.contains("git-hygiene-scan(1)"), "{t}");
    // The page of a command, as `man git-hygiene-scan` finds it.
    let out = sb
        .cmd("man", &r.dir)
        .arg("git-hygiene-scan")
        .env("MANPATH", share().join("man"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    let t = squeeze(&text(&out));
    assert!(t.contains("git hygiene scan [--history]"), "{t}");
}

/// git's own bash completion (shipped with git) completes `git hygiene …` through the
/// `_git_hygiene` our script defines, subcommands and their flags alike; `git-hygiene …` too.
#[test]
fn bash_completes_git_hygiene_through_gits_completion() {
    let git_completion = [
        "/usr/share/bash-completion/completions/git",
        "/usr/local/share/bash-completion/completions/git",
        "/etc/bash_completion.d/git",
    ]
    .into_iter()
    .map(Path::new)
    .find(|p| p.exists())
    .expect("git's bash completion script (Debian's git package installs it)");
    let sb = Sandbox::new();
    let script = format!(
        r#"source {git}
source {ours}
complete_words() {{
  COMP_WORDS=("$@"); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); COMP_LINE="$*"; COMP_POINT=${{#COMP_LINE}}
  COMPREPLY=()
  if [ "$1" = git ]; then __git_wrap__git_main git "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
  else "$(complete -p git-hygiene | sed 's/.*-F \([^ ]*\).*/\1/')" git-hygiene "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"; fi
  echo "$* => ${{COMPREPLY[*]}}"
}}
complete_words git hygiene sc
complete_words git hygiene scan --hi
complete_words git hygiene completions z
complete_words git hygiene adr n
complete_words git-hygiene expl
"#,
        git = git_completion.display(),
        ours = share()
            .join("bash-completion/completions/git-hygiene")
            .display()
    );
    let out = sb
        .cmd("bash", sb.path())
        .args(["--norc", "-c", &script])
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    for want in [
        "git hygiene sc => scan",
        "git hygiene scan --hi => --history",
        "git hygiene completions z => zsh",
        "git hygiene adr n => new",
        "git-hygiene expl => explain",
    ] {
        assert!(t.lines().any(|l| l == want), "missing `{want}`:\n{t}");
    }
}

/// `git hygiene completions SHELL` prints what the packages ship.
#[test]
fn completions_command_prints_the_shipped_script() {
    let sb = Sandbox::new();
    for (shell, file) in [
        ("bash", "bash-completion/completions/git-hygiene"),
        ("zsh", "zsh/site-functions/_git-hygiene"),
        ("fish", "fish/vendor_completions.d/git-hygiene.fish"),
    ] {
        let out = sb
            .cmd(bin(), sb.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_exit(&out, 0);
        assert!(
            out.stdout == std::fs::read(share().join(file)).unwrap(),
            "{shell}"
        );
    }
    let out = sb
        .cmd(bin(), sb.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_exit(&out, 2);
}
