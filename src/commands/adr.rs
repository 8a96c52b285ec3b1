//! `adr new "Title"`: write the next-numbered ADR from a template (Nygard or MADR, like the
//! newest existing one) into the ADR directory and print its path. With `--supersedes N`, ADR N
//! is marked "Superseded by" the new one and the new one says "Supersedes" it.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::checks::adr::{parse, AdrConfig, NewTemplate};
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::git::Repo;

use super::judge;

#[derive(Subcommand, Debug)]
pub enum AdrCommand {
    /// Create the next-numbered ADR and print its path.
    New {
        /// The decision, e.g. "Use Postgres for orders".
        title: String,
        /// Mark ADR N as superseded by the new one.
        #[arg(long, value_name = "N")]
        supersedes: Option<u32>,
        /// Initial status.
        #[arg(long, default_value = "Proposed")]
        status: String,
    },
}

/// The sections of a new Nygard ADR after its status, each with a line saying what goes there.
const NYGARD_BODY: &str = "## Context

What forces are at play: the problem, the constraints, what we know and do not know.

## Decision

What we will do, stated in full sentences (\"We will …\").

## Consequences

What becomes easier and what becomes harder once this is done, including the risks.
";

/// The sections of a new MADR after its title (`-` bullets, as Prettier writes them).
const MADR_BODY: &str = "## Context and Problem Statement

The problem in two or three sentences, and the question this record answers.

## Considered Options

- The first option
- The second option

## Decision Outcome

Chosen option: \"The first option\", because it is the one that meets the requirements.

### Consequences

- Good, because what it makes easier
- Bad, because what it makes harder
";

pub fn run(cmd: &AdrCommand, common: &Common) -> Result<i32> {
    let AdrCommand::New {
        title,
        supersedes,
        status,
    } = cmd;
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Usage(
            "adr new: give the decision a title, e.g. `git hygiene adr new \"Use Postgres\"`"
                .into(),
        ));
    }
    let root = match Repo::open() {
        Ok(r) => r.workdir,
        Err(_) => std::env::current_dir().map_err(|e| Error::io(".", e))?,
    };
    let config = judge::load_config(common, Some(&root))?;
    let cfg = &config.adr;
    let word = parse::status_word(status);
    if !cfg.statuses.iter().any(|s| parse::status_word(s) == word) {
        return Err(Error::Usage(format!(
            "adr new --status `{status}`: not an allowed status; use one of {} (from [adr] statuses)",
            cfg.statuses.join(", ")
        )));
    }
    let dir = choose_dir(&root, cfg);
    let existing = list(&root.join(&dir))?;
    let number = existing.iter().map(|(n, _)| *n).max().unwrap_or(0) + 1;
    let newest = existing
        .iter()
        .max_by_key(|(n, _)| *n)
        .map(|(_, p)| p.clone());
    let madr = match cfg.template {
        NewTemplate::Madr => true,
        NewTemplate::Nygard => false,
        NewTemplate::Auto => newest
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .is_some_and(|s| s.starts_with("---")),
    };
    let file_name = format!("{number:04}-{}.md", slug(title));
    let rel = format!("{dir}/{file_name}");
    let path = root.join(&rel);
    let old = match supersedes {
        Some(n) => Some(
            existing
                .iter()
                .find(|(m, _)| m == n)
                .map(|(_, p)| p.clone())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "adr new --supersedes {n}: there is no ADR {n:04} in {dir}"
                    ))
                })?,
        ),
        None => None,
    };
    let old_link = match &old {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            let name = p
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let t = parse::parse(&name, &text)
                .and_then(|a| a.title)
                .unwrap_or_default();
            Some((
                p.clone(),
                text,
                format!("[{}. {t}]({name})", supersedes.unwrap_or(0)),
            ))
        }
        None => None,
    };
    let date = today();
    let body = if madr {
        // Every section holds a line to replace: an empty section, a double blank line or a
        // trailing space is what the repository's Markdown formatter would rewrite at once.
        let mut s = format!(
            "---\nstatus: \"{}\"\ndate: {date}\n---\n\n# {title}\n\n{MADR_BODY}",
            status.to_lowercase()
        );
        if let Some((_, _, link)) = &old_link {
            s.push_str(&format!("\n## More Information\n\nSupersedes {link}\n"));
        }
        s
    } else {
        let sup = old_link
            .as_ref()
            .map(|(_, _, l)| format!("\n\nSupersedes {l}"))
            .unwrap_or_default();
        format!(
            "# {number}. {title}\n\nDate: {date}\n\n## Status\n\n{status}{sup}\n\n{NYGARD_BODY}"
        )
    };
    std::fs::create_dir_all(root.join(&dir)).map_err(|e| Error::io(root.join(&dir), e))?;
    write_new(&path, &body)?;
    if let Some((p, text, _)) = old_link {
        let link = format!("[{number}. {title}]({file_name})");
        std::fs::write(&p, mark_superseded(&text, number, &link)).map_err(|e| Error::io(&p, e))?;
        crate::out::println(&rel)?;
        crate::out::eprintln(&format!(
            "marked {} as superseded by ADR-{number:04}",
            p.strip_prefix(&root).unwrap_or(&p).display()
        ));
    } else {
        crate::out::println(&rel)?;
    }
    Ok(0)
}

/// Refuses to overwrite: a file of that name means someone else took the number.
fn write_new(path: &Path, body: &str) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Error::Usage(format!("{} already exists", path.display()))
            }
            _ => Error::io(path, e),
        })?;
    f.write_all(body.as_bytes()).map_err(|e| Error::io(path, e))
}

/// The configured directory that already holds ADRs, else the first that exists, else the first.
fn choose_dir(root: &Path, cfg: &AdrConfig) -> String {
    let dirs: Vec<String> = cfg
        .dirs
        .iter()
        .map(|d| d.trim_end_matches('/').to_owned())
        .collect();
    dirs.iter()
        .find(|d| list(&root.join(d)).is_ok_and(|l| !l.is_empty()))
        .or_else(|| dirs.iter().find(|d| root.join(d).is_dir()))
        .or(dirs.first())
        .cloned()
        .unwrap_or_else(|| "docs/adr".into())
}

fn list(dir: &Path) -> Result<Vec<(u32, PathBuf)>> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in rd.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((n, _)) = parse::number_of(&name) {
            out.push((n, entry.path()));
        }
    }
    Ok(out)
}

/// `Use Postgres for Orders!` → `use-postgres-for-orders`.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() {
        "decision".into()
    } else {
        s
    }
}

/// The old ADR with its status replaced by "Superseded by …" (Nygard) or its front-matter
/// status set to "superseded by ADR-NNNN" (MADR).
fn mark_superseded(text: &str, number: u32, link: &str) -> String {
    let mut out = String::new();
    if text.starts_with("---") {
        let mut in_front = 0;
        for l in text.lines() {
            if l.trim_end() == "---" {
                in_front += 1;
            }
            if in_front == 1 && l.starts_with("status:") {
                out.push_str(&format!("status: \"superseded by ADR-{number:04}\"\n"));
            } else {
                out.push_str(l);
                out.push('\n');
            }
        }
        return out;
    }
    let mut in_status = false;
    let mut replaced = false;
    for l in text.lines() {
        let t = l.trim();
        if t.starts_with("## ") {
            in_status = t.eq_ignore_ascii_case("## status");
        } else if in_status && !replaced && !t.is_empty() {
            out.push_str(&format!("Superseded by {link}\n"));
            replaced = true;
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    if !replaced {
        out.push_str(&format!("\n## Status\n\nSuperseded by {link}\n"));
    }
    out
}

/// Today's date (UTC) as YYYY-MM-DD, without a date library.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil(secs / 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's civil-from-days algorithm.
fn civil(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_dates() {
        assert_eq!(slug("Use Postgres for Orders!"), "use-postgres-for-orders");
        assert_eq!(slug("  ?? "), "decision");
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
    }

    #[test]
    fn superseding_rewrites_the_status() {
        let s = mark_superseded(
            "# 2. A\n\n## Status\n\nAccepted\n\n## Context\n",
            5,
            "[5. B](0005-b.md)",
        );
        assert!(
            s.contains("## Status\n\nSuperseded by [5. B](0005-b.md)\n\n## Context"),
            "{s}"
        );
        let m = mark_superseded("---\nstatus: accepted\n---\n# A\n", 5, "x");
        assert!(m.contains("status: \"superseded by ADR-0005\""), "{m}");
    }
}
