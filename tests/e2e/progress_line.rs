//! The progress line of long runs: on a terminal only (a pty from `script`), never with `-q`,
//! never in a hook. `HYGIENE_PROGRESS_AFTER_MS=0` shows it at once, so a short run shows it too.

use crate::support::{bin, text, Repo, Sandbox};

/// `args` run by git-hygiene in `r` on a pseudo-terminal: what the terminal showed.
fn on_terminal(r: &Repo<'_>, args: &str) -> String {
    let cmd = format!("{} {args}", bin().display());
    let out = r
        .cmd("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HYGIENE_PROGRESS_AFTER_MS", "0")
        .output()
        .expect("script (util-linux)");
    text(&out)
}

fn repo_with_files(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo_on("repo", "main");
    for i in 0..40 {
        r.write(&format!("src/file{i}.txt"), format!("line {i}\n"));
    }
    r.git(&["add", "."]);
    r.commit_no_verify("chore: init");
    r
}

#[test]
fn scan_on_a_terminal_shows_progress_and_erases_it() {
    let sb = Sandbox::new();
    let r = repo_with_files(&sb);
    let shown = on_terminal(&r, "scan");
    assert!(shown.contains("of 40 files"), "{shown:?}");
    assert!(shown.contains("\r\x1b[2K"), "the line is erased: {shown:?}");
    let history = on_terminal(&r, "scan --history");
    assert!(history.contains("files (1 commit)"), "{history:?}");
}

#[test]
fn no_progress_with_quiet_off_a_terminal_or_in_a_hook() {
    let sb = Sandbox::new();
    let r = repo_with_files(&sb);
    assert!(!on_terminal(&r, "-q scan").contains("scanning"));
    let piped = r
        .cmd(bin())
        .arg("scan")
        .env("HYGIENE_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(!text(&piped).contains("scanning"), "{}", text(&piped));
    r.write("src/new.txt", "new\n");
    r.git(&["add", "src/new.txt"]);
    let hook = on_terminal(&r, "hook pre-commit");
    assert!(hook.contains("pre-commit"), "the hook ran: {hook:?}");
    assert!(!hook.contains("scanning"), "{hook:?}");
}
