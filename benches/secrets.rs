//! Throughput of the secrets engine on generated source files (no I/O): the keyword prefilter
//! plus the regexes it triggers, files in parallel with rayon. Run with
//! `cargo bench --bench secrets`; prints MB/s. A benchmark, not a test: it asserts nothing.
//! Whole-process comparisons with gitleaks / kingfisher / rg are in `benches/compare_secrets.sh`.

use std::time::Instant;

use git_hygiene::checks::secrets::{engine_for, SecretsConfig};
use rayon::prelude::*;

/// ~8 KiB of code-like text with keywords that trigger rules (and a real-shaped token every
/// few files), so the benchmark pays for regexes, not only the automaton.
fn file(i: usize) -> Vec<u8> {
    let mut s = String::new();
    for l in 0..200 {
        match l % 10 {
            0 => s.push_str("    let key = map.get(&name).cloned().unwrap_or_default();\n"),
            1 => s.push_str("    // authenticate with the token from the environment\n"),
            2 => s.push_str(&format!(
                "    let password = std::env::var(\"DB_PASSWORD_{l}\")?;\n"
            )),
            3 if i.is_multiple_of(7) => s.push_str(&format!(
                "    const T: &str = \"{}{}\";\n",
                "gh", "p_Zx81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD"
            )),
            _ => s.push_str(
                "    for item in items.iter().filter(|x| x.enabled) { total += item.size; }\n",
            ),
        }
    }
    s.into_bytes()
}

fn main() {
    let files: Vec<Vec<u8>> = (0..8000).map(file).collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let engine = engine_for(&SecretsConfig::default(), true);
    let mut best = f64::MAX;
    let mut hits = 0;
    for _ in 0..5 {
        let t = Instant::now();
        hits = files
            .par_iter()
            .map(|f| engine.scan(b"src/lib.rs", f).len())
            .sum::<usize>();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "secrets engine: {:.1} MB in {:.3} s = {:.0} MB/s ({} threads, {hits} hits)",
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best,
        rayon::current_num_threads()
    );
    let t = Instant::now();
    let e = engine_for(&SecretsConfig::default(), true);
    let one = file(0);
    let n = e.scan(b"a.rs", &one).len();
    println!(
        "cold start (parse rules, build automaton, first regex compile, one file): {:.2} ms ({n} hits)",
        t.elapsed().as_secs_f64() * 1e3
    );
}
