//! The git layer's boundary, held by a test: no source file outside `src/git/` uses libgit2.
//! Everything git-related goes through this folder, so a change in how git is asked (libgit2, a
//! subprocess, gix) stays here.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// A use of the crate, as opposed to the word in prose ("libgit2").
    fn names_git2(text: &str) -> Option<usize> {
        text.lines().position(|l| {
            let code = l.split("//").next().unwrap_or("");
            code.contains("git2::") || code.trim_start().starts_with("use git2")
        })
    }

    #[test]
    fn only_src_git_uses_libgit2() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        assert!(files.len() > 50, "found only {} files", files.len());
        let inside = src.join("git");
        let mut seen_inside = false;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let hit = names_git2(&text);
            if f.starts_with(&inside) {
                seen_inside |= hit.is_some();
                continue;
            }
            if let Some(line) = hit {
                panic!(
                    "{}:{}: uses git2 outside src/git/; ask the git layer instead",
                    f.display(),
                    line + 1
                );
            }
        }
        // The scan itself works: the git layer does use it.
        assert!(seen_inside);
        assert_eq!(names_git2("// libgit2 reads it\nlet x = 1;"), None);
        assert_eq!(
            names_git2("fn f() {}\n    let o = git2::Oid::zero();"),
            Some(1)
        );
    }
}
