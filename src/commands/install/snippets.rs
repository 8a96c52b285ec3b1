//! What to add to a hook manager's own configuration, for the managers install does not edit.

use std::fmt::Write;

pub fn lefthook(hooks: &[&str]) -> String {
    let mut s = String::new();
    for name in hooks {
        let (args, stdin) = match *name {
            "commit-msg" => (" {1}", false),
            "prepare-commit-msg" => (" {1} {2} {3}", false),
            // lefthook hands git's stdin (the pushed refs) only to commands that ask for it.
            "pre-push" => (" {1} {2}", true),
            _ => ("", false),
        };
        let _ = writeln!(
            s,
            "{name}:\n  commands:\n    git-hygiene:\n      run: git-hygiene hook {name}{args}"
        );
        if stdin {
            s.push_str("      use_stdin: true\n");
        }
    }
    s
}

/// The hooks repository whose hooks pip-install the prebuilt binary (README, "pre-commit, prek,
/// lefthook, husky"). No pre-push id: the native hook does that job better (see [`pre_push_note`]).
pub fn pre_commit(hooks: &[&str]) -> String {
    let mut s = format!(
        "repos:\n  - repo: https://github.com/git-hygiene/git-hygiene-pre-commit\n    rev: v{}\n    hooks:\n",
        env!("CARGO_PKG_VERSION")
    );
    for name in hooks {
        let id = match *name {
            "pre-commit" => "git-hygiene",
            "commit-msg" => "git-hygiene-commit-msg",
            "prepare-commit-msg" => "git-hygiene-prepare-commit-msg",
            _ => continue,
        };
        let _ = writeln!(s, "      - id: {id}");
    }
    s
}

/// Item 4 of issue 15: what git-hygiene cannot see under pre-commit/prek, and the way out.
pub fn pre_push_note(tool: &str) -> String {
    format!(
        "note: {tool} runs no pre-push hook for a push that only deletes branches, hands a force-push to its hooks as a plain push \
         and passes only the first pushed ref with new commits, so git-hygiene run by {tool} cannot refuse deleting or force-pushing \
         a protected branch. For pushes, use git-hygiene's own pre-push hook alongside {tool}: `git hygiene install --hook pre-push` \
         ({tool} runs it first and its own pre-push hooks keep running; leave git-hygiene-pre-push out of the config)."
    )
}

pub fn simple_git_hooks(hooks: &[&str]) -> String {
    let lines: Vec<String> = hooks
        .iter()
        .map(|name| format!("    \"{name}\": \"git-hygiene hook {name} \\\"$@\\\"\""))
        .collect();
    format!("  \"simple-git-hooks\": {{\n{}\n  }}\n", lines.join(",\n"))
}

pub fn hook_lines(dir: &std::path::Path, hooks: &[&str]) -> String {
    let mut s = String::new();
    for name in hooks {
        let _ = writeln!(
            s,
            "# {}\ngit-hygiene hook {name} \"$@\"",
            dir.join(name).display()
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_push_under_lefthook_gets_stdin_and_pre_commit_gets_no_pre_push_id() {
        let all = ["pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"];
        let l = lefthook(&all);
        assert!(
            l.contains("run: git-hygiene hook pre-push {1} {2}\n      use_stdin: true\n"),
            "{l}"
        );
        assert_eq!(l.matches("use_stdin").count(), 1, "{l}");
        let p = pre_commit(&all);
        assert!(p.contains("- id: git-hygiene-commit-msg\n"), "{p}");
        assert!(!p.contains("pre-push"), "{p}");
        let j = simple_git_hooks(&["pre-push"]);
        assert!(
            j.contains(r#""pre-push": "git-hygiene hook pre-push \"$@\"""#),
            "{j}"
        );
    }
}
