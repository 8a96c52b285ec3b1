//! Accuracy of the secrets engine on labelled examples (tests/data/secrets-dev.jsonl): every
//! example is written to its own file, the whole directory is scanned once, and an example counts
//! as detected when the scan reports a `secrets` finding in its file. Prints recall and
//! false-positive rate per source; fails if they, overall or per source, fall below what the
//! engine reaches today.
//! (Reference on the same data: gitleaks 8.30 recall 0.516, FPR 0.000.)

use std::collections::HashSet;

use crate::support::accuracy::{labelled_rows, recall_by_source, score};
use git_hygiene::changeset::Mode;
use git_hygiene::checks::Config;
use git_hygiene::checks::{run_all, Selection};
use git_hygiene::finding::Severity;

const RECALL_MIN: f64 = 0.90;
const FPR_MAX: f64 = 0.0;
/// Recall per source of the examples: each must hold on its own, not only in the total.
const SOURCE_RECALL_MIN: &[(&str, f64)] = &[
    ("gitleaks", 0.98),
    ("kingfisher", 0.90),
    ("noseyparker", 0.89),
];

#[test]
fn recall_and_false_positive_rate() {
    let rows = labelled_rows(include_str!("../data/secrets-dev.jsonl"));
    let dir = tempfile::tempdir().unwrap();
    for (i, r) in rows.iter().enumerate() {
        let body = format!("{}\n", r["text"].as_str().unwrap());
        std::fs::write(dir.path().join(format!("ex_{i:06}.txt")), body).unwrap();
    }
    let cs = git_hygiene::moments::tree::changeset(dir.path(), &[], 2).unwrap();
    assert_eq!(cs.mode, Mode::Scan);
    let selection = Selection::new(vec!["secrets".into()], vec![], None).unwrap();
    let findings = run_all(&cs, &Config::default(), &selection, false).unwrap();
    let hit: HashSet<usize> = findings
        .iter()
        .filter(|f| f.check == "secrets" && f.severity != Severity::Info)
        .filter_map(|f| {
            let p = f.path.as_ref()?.to_string_lossy();
            p.strip_prefix("ex_")?.strip_suffix(".txt")?.parse().ok()
        })
        .collect();
    let (recall, fpr) = score(&rows, &hit);
    assert!(recall >= RECALL_MIN, "recall {recall:.3} < {RECALL_MIN}");
    assert!(fpr <= FPR_MAX, "false-positive rate {fpr:.3} > {FPR_MAX}");
    let by_source = recall_by_source(&rows, &hit);
    for &(source, min) in SOURCE_RECALL_MIN {
        let got = by_source.get(source).copied().unwrap_or(0.0);
        assert!(got >= min, "{source}: recall {got:.3} < {min}");
    }
}
