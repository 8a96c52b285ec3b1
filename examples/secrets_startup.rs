use std::time::Instant;
fn main() {
    let t = Instant::now();
    let specs = git_hygiene::checks::secrets::rules::builtin_specs();
    let t1 = t.elapsed();
    let cfg = git_hygiene::checks::secrets::SecretsConfig::default();
    let t2 = Instant::now();
    let e = git_hygiene::checks::secrets::engine_for(&cfg, false);
    let t3 = t2.elapsed();
    let data = std::fs::read("src/git.rs").unwrap();
    let t4 = Instant::now();
    let h = e.scan(b"src/git.rs", &data);
    let t5 = t4.elapsed();
    let t6 = Instant::now();
    let h2 = e.scan(b"src/git.rs", &data);
    println!(
        "parse {} specs: {:?}; engine: {:?}; first scan: {:?} ({}); second scan {:?} ({})",
        specs.len(),
        t1,
        t3,
        t5,
        h.len(),
        t6.elapsed(),
        h2.len()
    );
}
