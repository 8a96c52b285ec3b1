//! A hasher for in-process maps keyed by paths: eight bytes per step (FxHash's mix), where
//! SipHash costs more than the rest of a lookup. Not for fingerprints that are stored or
//! compared across runs (`finding::Fnv64` is), nor for keys an attacker picks to collide.

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap<K, V, WordHash>`, built with `HashMap::default()`.
pub type WordHash = BuildHasherDefault<WordHasher>;

#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        // The map reads the top bits first; the multiply leaves the low ones weakest.
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    #[test]
    fn keys_that_differ_in_any_byte_hash_apart() {
        let h = |b: &[u8]| WordHash::default().hash_one(b);
        assert_eq!(h(b"src/lib.rs"), h(b"src/lib.rs"));
        assert_ne!(h(b"src/lib.rs"), h(b"src/lib.rt"));
        assert_ne!(h(b"a"), h(b"a\0"));
        let many: HashSet<u64> = (0..10_000)
            .map(|i| h(format!("dir/file{i}.rs").as_bytes()))
            .collect();
        assert_eq!(many.len(), 10_000);
    }
}
