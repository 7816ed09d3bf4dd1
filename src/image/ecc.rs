//! Error-correction codewords: the block structure of every version and level (ISO/IEC 18004
//! Table 9), de-interleaving, and a Reed-Solomon decoder over GF(256).
//!
//! rqrr corrects codewords internally but only hands out the decoded text; inspection needs the
//! corrected data codewords themselves to walk the segment headers, so it repeats the correction
//! here from the raw codewords rqrr does expose.

use super::symbol::{EcLevel, SymbolVersion};

/// Error-correction codewords per block, by level (L, M, Q, H) then version (index 0 unused).
const EC_PER_BLOCK: [[u8; 41]; 4] = [
    [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
        30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30,
        30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Number of error-correction blocks, by level (L, M, Q, H) then version (index 0 unused).
const BLOCKS: [[u8; 41]; 4] = [
    [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
        23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32,
        35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// How the codewords of one version and level are split into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockLayout {
    /// All codewords in the symbol (data plus error correction).
    pub total: usize,
    /// Number of blocks.
    pub blocks: usize,
    /// Error-correction codewords in every block.
    pub ec_per_block: usize,
    /// Data codewords in a short block; long blocks hold one more and come last.
    pub short_data: usize,
    /// Number of short blocks.
    pub short_blocks: usize,
}

impl BlockLayout {
    /// The layout for a version and level.
    pub fn new(version: SymbolVersion, ec: EcLevel) -> Self {
        let v = usize::from(version.get());
        let total = raw_data_modules(v) / 8;
        let blocks = usize::from(BLOCKS[ec.index()][v]);
        let ec_per_block = usize::from(EC_PER_BLOCK[ec.index()][v]);
        let data = total - blocks * ec_per_block;
        BlockLayout {
            total,
            blocks,
            ec_per_block,
            short_data: data / blocks,
            short_blocks: blocks - data % blocks,
        }
    }

    /// Data codewords in the whole symbol.
    pub fn data_codewords(&self) -> usize {
        self.total - self.blocks * self.ec_per_block
    }

    fn data_in_block(&self, block: usize) -> usize {
        self.short_data + usize::from(block >= self.short_blocks)
    }
}

/// Modules left for data and error correction once the function patterns, format and version
/// information are taken out (ISO/IEC 18004 §7.1 and Table 1).
fn raw_data_modules(v: usize) -> usize {
    let mut n = (16 * v + 128) * v + 64;
    if v >= 2 {
        let align = v / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if v >= 7 {
            n -= 36;
        }
    }
    n
}

/// Result of correcting a whole symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrected {
    /// The data codewords, blocks in order.
    pub data: Vec<u8>,
    /// How many codewords were wrong and repaired.
    pub repaired: usize,
}

/// A block had more errors than its error-correction codewords can repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncorrectable {
    /// Index of the failing block.
    pub block: usize,
}

/// De-interleave the codewords read from the symbol (in placement order), correct each block,
/// and concatenate the data codewords.
pub fn correct(codewords: &[u8], layout: &BlockLayout) -> Result<Corrected, Uncorrectable> {
    let mut blocks: Vec<Vec<u8>> = (0..layout.blocks)
        .map(|b| Vec::with_capacity(layout.data_in_block(b) + layout.ec_per_block))
        .collect();
    let mut it = codewords.iter().copied();
    // Data codewords go round the blocks; the short blocks drop out for the final round.
    for round in 0..=layout.short_data {
        for (b, block) in blocks.iter_mut().enumerate() {
            if round < layout.data_in_block(b) {
                block.push(it.next().unwrap_or(0));
            }
        }
    }
    for _ in 0..layout.ec_per_block {
        for block in &mut blocks {
            block.push(it.next().unwrap_or(0));
        }
    }
    let mut data = Vec::with_capacity(layout.data_codewords());
    let mut repaired = 0;
    for (b, block) in blocks.iter_mut().enumerate() {
        repaired += rs_correct(block, layout.ec_per_block).ok_or(Uncorrectable { block: b })?;
        data.extend_from_slice(&block[..layout.data_in_block(b)]);
    }
    Ok(Corrected { data, repaired })
}

/// GF(256) arithmetic with the QR field polynomial x^8 + x^4 + x^3 + x^2 + 1.
struct Gf {
    exp: [u8; 512],
    log: [u8; 256],
}

impl Gf {
    const fn new() -> Self {
        let mut exp = [0u8; 512];
        let mut log = [0u8; 256];
        let mut x: u16 = 1;
        let mut i = 0;
        while i < 255 {
            exp[i] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11d;
            }
            i += 1;
        }
        while i < 512 {
            exp[i] = exp[i - 255];
            i += 1;
        }
        Gf { exp, log }
    }

    fn mul(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[usize::from(self.log[usize::from(a)]) + usize::from(self.log[usize::from(b)])]
        }
    }

    /// a / b for b != 0.
    fn div(&self, a: u8, b: u8) -> u8 {
        if a == 0 {
            0
        } else {
            self.exp[usize::from(self.log[usize::from(a)]) + 255
                - usize::from(self.log[usize::from(b)])]
        }
    }

    /// alpha^e for any e >= 0.
    fn pow_alpha(&self, e: usize) -> u8 {
        self.exp[e % 255]
    }

    /// Evaluate a polynomial given lowest degree first.
    fn eval_low_first(&self, poly: &[u8], x: u8) -> u8 {
        poly.iter().rev().fold(0, |acc, &c| self.mul(acc, x) ^ c)
    }
}

static GF: Gf = Gf::new();

/// Correct one block in place (codewords highest degree first, as QR stores them; generator
/// roots alpha^0..alpha^(nsym-1)). Returns the number of repaired codewords, or `None` when the
/// errors are beyond repair.
pub fn rs_correct(block: &mut [u8], nsym: usize) -> Option<usize> {
    let n = block.len();
    if nsym == 0 || nsym >= n || n > 255 {
        return None;
    }
    // Syndromes S_j = r(alpha^j).
    let syndromes: Vec<u8> = (0..nsym)
        .map(|j| {
            let x = GF.pow_alpha(j);
            block.iter().fold(0, |acc, &c| GF.mul(acc, x) ^ c)
        })
        .collect();
    if syndromes.iter().all(|&s| s == 0) {
        return Some(0);
    }

    // Berlekamp-Massey: error locator Lambda(x), lowest degree first.
    let mut lambda = vec![0u8; nsym + 1];
    let mut prev = vec![0u8; nsym + 1];
    lambda[0] = 1;
    prev[0] = 1;
    let (mut len, mut shift, mut prev_disc) = (0usize, 1usize, 1u8);
    for k in 0..nsym {
        let mut disc = syndromes[k];
        for i in 1..=len {
            disc ^= GF.mul(lambda[i], syndromes[k - i]);
        }
        if disc == 0 {
            shift += 1;
            continue;
        }
        let coef = GF.div(disc, prev_disc);
        let old = lambda.clone();
        for i in 0..=nsym - shift {
            lambda[i + shift] ^= GF.mul(coef, prev[i]);
        }
        if 2 * len <= k {
            len = k + 1 - len;
            prev = old;
            prev_disc = disc;
            shift = 1;
        } else {
            shift += 1;
        }
    }
    if 2 * len > nsym {
        return None;
    }
    lambda.truncate(len + 1);

    // Chien search: position p (from the start) has locator X = alpha^(n-1-p); it is an error
    // position when Lambda(X^-1) = 0.
    let positions: Vec<usize> = (0..n)
        .filter(|&p| GF.eval_low_first(&lambda, GF.pow_alpha(255 - (n - 1 - p) % 255)) == 0)
        .collect();
    if positions.len() != len {
        return None;
    }

    // Forney, first consecutive root 0: e = X * Omega(X^-1) / Lambda'(X^-1),
    // Omega = S(x) * Lambda(x) mod x^nsym.
    let mut omega = vec![0u8; nsym];
    for (i, &l) in lambda.iter().enumerate() {
        for (j, &s) in syndromes.iter().enumerate() {
            if i + j < nsym {
                omega[i + j] ^= GF.mul(l, s);
            }
        }
    }
    // Formal derivative in characteristic 2: only odd powers survive.
    let deriv: Vec<u8> = (1..lambda.len())
        .map(|i| if i % 2 == 1 { lambda[i] } else { 0 })
        .collect();
    for &p in &positions {
        let x = GF.pow_alpha(n - 1 - p);
        let x_inv = GF.pow_alpha(255 - (n - 1 - p) % 255);
        let denom = GF.eval_low_first(&deriv, x_inv);
        if denom == 0 {
            return None;
        }
        let magnitude = GF.mul(x, GF.div(GF.eval_low_first(&omega, x_inv), denom));
        block[p] ^= magnitude;
    }

    // A miscorrection can land on another codeword; only a clean re-check counts.
    let clean = (0..nsym).all(|j| {
        let x = GF.pow_alpha(j);
        block.iter().fold(0, |acc, &c| GF.mul(acc, x) ^ c) == 0
    });
    clean.then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn versions() -> impl Iterator<Item = SymbolVersion> {
        (1..=40).filter_map(SymbolVersion::new)
    }

    fn qr_version(v: SymbolVersion) -> qrcode::Version {
        qrcode::Version::Normal(i16::from(v.get()))
    }

    #[test]
    fn layout_matches_qrcode_capacity_and_ec() {
        for v in versions() {
            for ec in EcLevel::ALL {
                let layout = BlockLayout::new(v, ec);
                let capacity_bits = qrcode::bits::Bits::new(qr_version(v))
                    .max_len(ec.to_qrcode())
                    .unwrap();
                assert_eq!(layout.data_codewords() * 8, capacity_bits, "v{v}-{ec} data");
                let data = vec![0u8; layout.data_codewords()];
                let (d, e) =
                    qrcode::ec::construct_codewords(&data, qr_version(v), ec.to_qrcode()).unwrap();
                assert_eq!(d.len() + e.len(), layout.total, "v{v}-{ec} total");
                assert_eq!(e.len(), layout.blocks * layout.ec_per_block, "v{v}-{ec} ec");
            }
        }
    }

    #[test]
    fn deinterleave_undoes_qrcode_interleaving() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for v in versions() {
            for ec in EcLevel::ALL {
                let layout = BlockLayout::new(v, ec);
                let data: Vec<u8> = (0..layout.data_codewords()).map(|_| rng.random()).collect();
                let (d, e) =
                    qrcode::ec::construct_codewords(&data, qr_version(v), ec.to_qrcode()).unwrap();
                let mut stream = [d, e].concat();
                // Damage a few codewords, well within every block's budget overall.
                for _ in 0..layout.blocks {
                    let at = rng.random_range(0..stream.len());
                    stream[at] ^= 0x5a;
                }
                let out = correct(&stream, &layout).unwrap_or_else(|e| panic!("v{v}-{ec}: {e:?}"));
                assert_eq!(out.data, data, "v{v}-{ec}");
                assert!(out.repaired >= 1 && out.repaired <= layout.blocks);
            }
        }
    }

    #[test]
    fn corrects_up_to_half_the_ec_codewords_and_no_more() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        for (data_len, nsym) in [(19, 7), (16, 10), (13, 13), (15, 30), (97, 24), (117, 30)] {
            let data: Vec<u8> = (0..data_len).map(|_| rng.random()).collect();
            let ec = qrcode::ec::create_error_correction_code(&data, nsym);
            let good = [data.clone(), ec].concat();
            for errors in 0..=nsym / 2 {
                let mut block = good.clone();
                let mut hit = std::collections::BTreeSet::new();
                while hit.len() < errors {
                    hit.insert(rng.random_range(0..block.len()));
                }
                for &p in &hit {
                    block[p] ^= rng.random_range(1..=255u8);
                }
                assert_eq!(
                    rs_correct(&mut block, nsym),
                    Some(errors),
                    "{data_len}+{nsym}, {errors} errors"
                );
                assert_eq!(block, good);
            }
            // Past the budget the decoder must refuse or, rarely, miscorrect to another
            // codeword, but never claim success on the damaged block unchanged.
            let mut block = good.clone();
            for b in block.iter_mut().take(nsym / 2 + 1) {
                *b ^= 0xff;
            }
            let damaged = block.clone();
            if rs_correct(&mut block, nsym).is_some() {
                assert_ne!(block, damaged);
                assert_ne!(block, good);
            }
        }
    }

    #[test]
    fn degenerate_blocks_are_refused() {
        assert_eq!(rs_correct(&mut [1, 2, 3], 0), None);
        assert_eq!(rs_correct(&mut [1, 2, 3], 3), None);
    }
}
