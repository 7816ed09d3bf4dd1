//! The seeded randomness of a fresh suite: SplitMix64 streams keyed by SHA-256 of the seed, a
//! domain and the token being replaced, so a token's replacement depends on nothing but the
//! seed and the token (never on the order tokens are met in).

use sha2::{Digest, Sha256};

/// A deterministic random stream (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// The stream for `domain` and `key` under `seed`.
    pub fn keyed(seed: u64, domain: &str, key: &str) -> Rng {
        let mut h = Sha256::new();
        h.update(seed.to_be_bytes());
        h.update((domain.len() as u64).to_be_bytes());
        h.update(domain.as_bytes());
        h.update(key.as_bytes());
        let d = h.finalize();
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        Rng(u64::from_be_bytes(b))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; the tiny modulo bias does not matter for test data).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_seed_domain_and_key_only() {
        let a: Vec<u64> = (0..4)
            .scan(Rng::keyed(7, "name", "X"), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..4)
            .scan(Rng::keyed(7, "name", "X"), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(
            Rng::keyed(8, "name", "X").next_u64(),
            Rng::keyed(7, "name", "X").next_u64()
        );
        assert_ne!(
            Rng::keyed(7, "city", "X").next_u64(),
            Rng::keyed(7, "name", "X").next_u64()
        );
    }
}
