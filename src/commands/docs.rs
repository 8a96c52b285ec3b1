//! `completions SHELL` and the hidden `generate-docs DIR`: shell completion scripts, man pages and
//! the HTML help page, all rendered from the one clap definition in `cli.rs`, so they cannot drift
//! from the flags. Packages ship what `generate-docs` writes (`pkgdata/data/share/`, a test keeps
//! it current): git turns `git hygiene --help` into `man git-hygiene` (Git for Windows: the HTML
//! page), and man-db finds `<prefix>/share/man` next to `<prefix>/bin` on PATH.

use std::path::Path;

use clap::Command;
use clap_complete::Shell;

use crate::error::{Error, Result};

/// git's bash completion completes `git hygiene …` by calling `_git_hygiene` (git names the
/// function after the subcommand). clap's script completes the `git-hygiene` command in
/// `_git__hygiene` (its name for `git-hygiene`); this hands it the words after `hygiene` as if
/// they followed `git-hygiene`.
const GIT_BASH_BRIDGE: &str = r#"
# `git hygiene <TAB>`: git's completion calls _git_<command>; complete as `git-hygiene` does.
_git_hygiene() {
    local at=${__git_cmd_idx:-1}
    local COMP_WORDS=(git-hygiene "${words[@]:at+1}")
    local COMP_CWORD=$((cword - at))
    local COMP_LINE="${COMP_WORDS[*]}"
    local COMP_POINT=${#COMP_LINE}
    _git__hygiene git-hygiene "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
}
"#;

/// The completion script for `shell`, with the bridge for `git hygiene` in bash.
pub fn completion_script(shell: Shell, root: &Command) -> Result<String> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut root.clone(), "git-hygiene", &mut buf);
    let mut script = String::from_utf8(buf)
        .map_err(|_| Error::Other("internal: a completion script is not UTF-8".into()))?;
    if shell == Shell::Bash {
        // clap_complete 4.6 sets `cmd="git__hygiene__subcmd__scan"` for a hyphenated name but
        // labels the branch that completes it `git__subcmd__hygiene__subcmd__scan`, so nothing
        // after the first word completed. One spelling for both.
        script = script.replace("git__subcmd__hygiene", "git__hygiene");
        script.push_str(GIT_BASH_BRIDGE);
    }
    Ok(script)
}

pub fn completions(shell: Shell, root: &Command) -> Result<i32> {
    crate::out::print(&completion_script(shell, root)?)?;
    Ok(0)
}

/// Every generated file, as (path under `share/`, content).
pub fn files(root: &Command) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    // git-hygiene.1, then git-hygiene-scan.1 … as git names its own pages.
    let mut pages = vec![(
        "git-hygiene".to_owned(),
        root.clone().bin_name("git hygiene"),
    )];
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("git-hygiene-{}", sub.get_name());
        let shown = format!("git hygiene {}", sub.get_name());
        pages.push((name.clone(), sub.clone().display_name(name).bin_name(shown)));
    }
    let source = format!("git-hygiene {}", env!("CARGO_PKG_VERSION"));
    for (name, cmd) in pages {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd)
            .source(source.clone())
            .manual("git-hygiene Manual")
            .render(&mut page)
            .map_err(|e| Error::Other(format!("rendering the man page {name}: {e}")))?;
        out.push((format!("man/man1/{name}.1"), page));
    }
    out.push((
        "doc/git-hygiene/git-hygiene.html".to_owned(),
        crate::commands::help_html::render(root).into_bytes(),
    ));
    for (shell, path) in [
        (Shell::Bash, "bash-completion/completions/git-hygiene"),
        (Shell::Zsh, "zsh/site-functions/_git-hygiene"),
        (Shell::Fish, "fish/vendor_completions.d/git-hygiene.fish"),
    ] {
        out.push((
            path.to_owned(),
            completion_script(shell, root)?.into_bytes(),
        ));
    }
    Ok(out)
}

/// Writes [`files`] under `dir` (a `share/` directory) and lists them.
pub fn generate(dir: &Path, root: &Command) -> Result<i32> {
    for (rel, content) in files(root)? {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, content).map_err(|e| Error::io(&path, e))?;
        crate::out::println(&path.display().to_string())?;
    }
    Ok(0)
}
