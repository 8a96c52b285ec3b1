//! husky: one line per hook in the team's own `.husky/<hook>` scripts, never in `.husky/_`.
//! husky rewrites `_` on every install (its `prepare` script runs at each `npm install`), but
//! it never touches the scripts, so the line survives.
//!
//! husky 9's dispatcher runs a script as `sh -e .husky/<hook> "$@"` with git's stdin, so the
//! line passes git's arguments on and, for pre-push, reads the refs git writes to stdin.

use std::path::Path;

use super::shims::write_executable;
use crate::error::{Error, Result};
use crate::out;

pub fn line(name: &str) -> String {
    format!("git-hygiene hook {name} \"$@\"")
}

fn has_line(text: &str, name: &str) -> bool {
    let ours = line(name);
    text.lines().any(|l| l.trim() == ours)
}

/// `text` with our line added, or `None` when it is already there.
///
/// husky runs the script under `sh -e`: the first failing line ends it. So our line goes
/// last, after the team's own commands: they always run (a refused commit still gets its
/// lint-staged run), and what we judge is what lint-staged's fixes re-staged, i.e. what will be
/// committed. pre-push is the exception: git's refs come on stdin, which the first command that
/// reads it (`git lfs pre-push`) would drain, leaving us an empty push to judge and pass. There
/// the line goes first, after a shebang and husky 8's `. "…/_/husky.sh"` preamble.
pub fn add_line(text: &str, name: &str) -> Option<String> {
    if has_line(text, name) {
        return None;
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = if name == "pre-push" {
        lines
            .iter()
            .take_while(|l| l.starts_with("#!") || (l.starts_with(". ") && l.contains("husky.sh")))
            .count()
    } else {
        lines.len()
    };
    let mut out = String::new();
    for l in &lines[..at] {
        out.push_str(l);
        if !l.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str(&line(name));
    out.push('\n');
    for l in &lines[at..] {
        out.push_str(l);
    }
    Some(out)
}

/// A team line that ends the script before a line appended after it would run.
fn ends_early(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| {
        // `exec < /dev/tty` only redirects; `exec cmd` replaces the script.
        let exec_cmd = l
            .strip_prefix("exec ")
            .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_alphabetic()));
        *l == "exit" || l.starts_with("exit ") || exec_cmd
    })
}

/// `text` without our line, or `None` when it was not there.
pub fn remove_line(text: &str, name: &str) -> Option<String> {
    if !has_line(text, name) {
        return None;
    }
    let ours = line(name);
    Some(
        text.split_inclusive('\n')
            .filter(|l| l.trim() != ours)
            .collect(),
    )
}

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|_| {
        Error::Other(format!(
            "{} is not UTF-8 text; add the line `{}` to it yourself",
            path.display(),
            line(path.file_name().and_then(|n| n.to_str()).unwrap_or("HOOK"))
        ))
    })
}

pub fn install(scripts: &Path, v8: bool, active: bool, hooks: &[&str]) -> Result<()> {
    std::fs::create_dir_all(scripts).map_err(|e| Error::io(scripts, e))?;
    for name in hooks {
        let path = scripts.join(name);
        if !path.exists() {
            // husky ≤ 8: git runs the script itself, so it needs the shebang, husky's preamble
            // and the exec bit. husky 9 runs it with sh.
            let text = if v8 {
                format!(
                    "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\n{}\n",
                    line(name)
                )
            } else {
                format!("{}\n", line(name))
            };
            write_executable(&path, &text)?;
            out::println(&format!("created {} (runs git-hygiene)", path.display()))?;
            continue;
        }
        match add_line(&read(&path)?, name) {
            Some(text) => {
                std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
                let place = if *name == "pre-push" {
                    "first: it reads git's stdin"
                } else {
                    "after your own lines"
                };
                out::println(&format!(
                    "added `{}` to {} ({place})",
                    line(name),
                    path.display()
                ))?;
                if let Some(early) = ends_early(&text).filter(|_| *name != "pre-push") {
                    out::println(&format!(
                        "warning: `{early}` in {} ends the script before git-hygiene's line runs: move that line below it",
                        path.display()
                    ))?;
                }
            }
            None => out::println(&format!("{} already runs git-hygiene", path.display()))?,
        }
    }
    out::println("husky's own files (.husky/_) are untouched; `npm install` re-running husky keeps these lines")?;
    if !active {
        out::println(
            "husky is not set up in this clone yet (core.hooksPath is not its folder): run `npm install` (husky's prepare script) so git runs these hooks",
        )?;
    }
    Ok(())
}

pub fn uninstall(scripts: &Path, hooks: &[&str]) -> Result<()> {
    for name in hooks {
        let path = scripts.join(name);
        if !path.is_file() {
            continue;
        }
        let Some(text) = remove_line(&read(&path)?, name) else {
            continue;
        };
        if text.trim().is_empty() {
            // Nothing of the team's is left: it was a file install created.
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            out::println(&format!("removed {}", path.display()))?;
        } else {
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            out::println(&format!("removed `{}` from {}", line(name), path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_goes_last_once_and_comes_out_exactly() {
        let team = "npx lint-staged\nnpm test";
        let with = add_line(team, "pre-commit").expect("added");
        assert_eq!(
            with,
            "npx lint-staged\nnpm test\ngit-hygiene hook pre-commit \"$@\"\n"
        );
        assert_eq!(add_line(&with, "pre-commit"), None, "never twice");
        assert_eq!(
            remove_line(&with, "pre-commit").as_deref(),
            Some("npx lint-staged\nnpm test\n")
        );
        assert_eq!(remove_line(team, "pre-commit"), None);
    }

    #[test]
    fn pre_push_goes_first_below_a_shebang_and_husky_8_preamble() {
        let team =
            "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\ngit lfs pre-push \"$@\"\n";
        let with = add_line(team, "pre-push").expect("added");
        assert_eq!(
            with,
            "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\ngit-hygiene hook pre-push \"$@\"\n\ngit lfs pre-push \"$@\"\n"
        );
        assert_eq!(remove_line(&with, "pre-push").as_deref(), Some(team));
        assert_eq!(
            ends_early("npm test\nexec npx lint-staged\n"),
            Some("exec npx lint-staged")
        );
        assert_eq!(ends_early("exec < /dev/tty\n# exit early\n"), None);
    }
}
