//! Accuracy of the secrets check on labelled files (tests/data/secrets-files.jsonl): unlike
//! secrets-dev.jsonl, each example carries a file name, because what a config file, a tool's
//! credential file or a documentation page may hold depends on it. Every example is written under
//! its own path in a directory of its own, the whole tree is scanned once, and an example counts
//! as detected when a content rule reports a finding in its directory (forbidden-file, which
//! judges names alone, is off). Prints recall and false-positive rate per source; fails if they
//! fall below the floors.

use std::collections::HashSet;

use crate::support::accuracy::{labelled_rows, score};
use git_hygiene::checks::Config;
use git_hygiene::checks::{run_all, Selection};
use git_hygiene::finding::Severity;

const RECALL_MIN: f64 = 0.90;
const FPR_MAX: f64 = 0.01;

#[test]
fn recall_and_false_positive_rate_on_named_files() {
    let rows = labelled_rows(include_str!("../data/secrets-files.jsonl"));
    let dir = tempfile::tempdir().unwrap();
    for (i, r) in rows.iter().enumerate() {
        let path = dir
            .path()
            .join(format!("ex_{i:04}"))
            .join(r["path"].as_str().expect("path"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, r["text"].as_str().expect("text")).unwrap();
    }
    let cs = git_hygiene::moments::tree::changeset(dir.path(), &[], 2).unwrap();
    let selection = Selection::new(vec!["secrets".into()], vec![], None).unwrap();
    let mut config = Config::default();
    config.secrets.forbidden_files = false;
    let findings = run_all(&cs, &config, &selection, false).unwrap();
    let mut hit: HashSet<usize> = HashSet::new();
    for f in findings
        .iter()
        .filter(|f| f.check == "secrets" && f.severity != Severity::Info)
    {
        let Some(p) = f.path.as_ref() else { continue };
        let p = p.to_string_lossy();
        let Some(i) = p
            .strip_prefix("ex_")
            .and_then(|rest| rest.get(..4))
            .and_then(|n| n.parse().ok())
        else {
            continue;
        };
        if std::env::var_os("SHOW_HITS").is_some() {
            println!("hit {p}: {}", f.rule);
        }
        hit.insert(i);
    }
    let (recall, fpr) = score(&rows, &hit);
    assert!(recall >= RECALL_MIN, "recall {recall:.3} < {RECALL_MIN}");
    assert!(fpr <= FPR_MAX, "false-positive rate {fpr:.3} > {FPR_MAX}");
}
