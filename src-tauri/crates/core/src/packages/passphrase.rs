//! A generated passphrase for an encrypted package: words from the EFF large
//! word list (`assets/wordlists/en.txt`, CC BY 3.0 US, see its LICENSE.md),
//! drawn with the operating system's randomness, joined by '-'.
//!
//! The officer sends it by another channel than the package (a phone call, a
//! text message): it is never put into the letter that carries the package.

use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::packages::MIN_PASSPHRASE;

const LIST: &str = include_str!("../../../../../assets/wordlists/en.txt");

/// How many words a generated passphrase has. Six words drawn uniformly from
/// the 7,776 of the list carry 6 × log2(7776) ≈ 77.5 bits of entropy (a
/// list of at least 2,048 words would still give 66 bits).
pub const PASSPHRASE_WORDS: usize = 6;

/// The word list, in its order (`11111\tabacus` → `abacus`).
pub fn passphrase_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| LIST.lines().filter_map(|l| l.split('\t').nth(1)).map(str::trim).filter(|w| !w.is_empty()).collect())
}

/// The entropy of a generated passphrase, in bits: words × log2(list size).
pub fn passphrase_entropy_bits() -> f64 {
    PASSPHRASE_WORDS as f64 * (passphrase_words().len() as f64).log2()
}

/// A uniform index below `n`, by rejection sampling (no modulo bias).
fn uniform_below(n: u32) -> Result<u32> {
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
        let v = u32::from_le_bytes(b);
        if v < zone {
            return Ok(v % n);
        }
    }
}

/// Six words from the EFF large word list joined by '-', e.g.
/// `vintage-cobweb-hazard-snowman-relic-unfold`: about 77.5 bits of entropy
/// ([`passphrase_entropy_bits`]), always at least [`MIN_PASSPHRASE`] characters.
pub fn generate_passphrase() -> Result<String> {
    let words = passphrase_words();
    let n = u32::try_from(words.len()).map_err(|_| Error::Internal("word list too long".into()))?;
    let mut chosen = Vec::with_capacity(PASSPHRASE_WORDS);
    for _ in 0..PASSPHRASE_WORDS {
        chosen.push(words[uniform_below(n)? as usize]);
    }
    let phrase = chosen.join("-");
    debug_assert!(phrase.chars().count() >= MIN_PASSPHRASE);
    Ok(phrase)
}
