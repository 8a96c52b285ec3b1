//! Shared by the secrets accuracy tests: labelled JSON lines in, recall and false-positive rate
//! per source out.

use std::collections::{BTreeMap, HashSet};

/// The rows of a `.jsonl` file of labelled examples (`text`, `label`, `source`, maybe `path`).
pub fn labelled_rows(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// Prints recall and false-positive rate overall and per source, given the indexes of the rows
/// the scan flagged, and returns the overall pair. `SHOW_MISSES=1` lists every wrong verdict.
pub fn score(rows: &[serde_json::Value], hit: &HashSet<usize>) -> (f64, f64) {
    // source -> (secrets, secrets hit, clean, clean hit)
    let mut by: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let secret = r["label"] == "secret";
        let h = hit.contains(&i);
        if std::env::var_os("SHOW_MISSES").is_some() && secret != h {
            let what = if secret { "missed" } else { "flagged" };
            println!("{what} row {i}: {}", r.get("path").unwrap_or(&r["text"]));
        }
        for key in ["ALL", r["source"].as_str().unwrap_or("?")] {
            let e = by.entry(key.to_owned()).or_default();
            let k = if secret { 0 } else { 2 };
            e[k] += 1;
            e[k + 1] += usize::from(h);
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    for (k, [s, sh, c, ch]) in &by {
        println!(
            "{k:<20} recall {:.3} ({sh}/{s})  fpr {:.3} ({ch}/{c})",
            ratio(*sh, *s),
            ratio(*ch, *c)
        );
    }
    let [s, sh, c, ch] = by["ALL"];
    (ratio(sh, s), ratio(ch, c))
}

/// Recall per source: the share of each source's secrets among the rows the scan flagged.
pub fn recall_by_source(rows: &[serde_json::Value], hit: &HashSet<usize>) -> BTreeMap<String, f64> {
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, r) in rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r["label"] == "secret")
    {
        let e = by
            .entry(r["source"].as_str().unwrap_or("?").to_owned())
            .or_default();
        e.0 += 1;
        e.1 += usize::from(hit.contains(&i));
    }
    by.into_iter()
        .map(|(k, (s, h))| (k, h as f64 / s as f64))
        .collect()
}
