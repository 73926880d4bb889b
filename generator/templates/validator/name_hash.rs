// Compiled twice, so the two cannot disagree: by the generator (`tables.rs` places names in
// `Object::slots`) and, appended to `engine.rs`, by every validator crate (finds a key's slot).

/// The hash of an object key for `Object::slots`: its length and up to eight bytes from each
/// end, mixed with the generator's seed.
#[inline(always)]
pub(crate) fn name_hash(key: &str, seed: u32) -> u32 {
    let bytes = key.as_bytes();
    // A seed with the top bit set hashes every byte (names alike at both ends).
    if seed & 0x8000_0000 != 0 {
        let mut hash = seed;
        for &byte in bytes {
            hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
        }
        return hash.rotate_right(13).wrapping_mul(0x9e37_79b9);
    }
    let (head, tail) = name_ends(bytes);
    let mixed = head ^ tail.rotate_left(31) ^ ((bytes.len() as u64) << 58);
    (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15 ^ u64::from(seed << 1 | 1)) >> 32) as u32
}

/// Up to eight bytes from each end of a name, as integers (they overlap when it is short):
/// two loads, no loop, for the hash and for the engine's `same_name`.
#[inline(always)]
#[rustfmt::skip]
pub(crate) fn name_ends(bytes: &[u8]) -> (u64, u64) {
    let n = bytes.len();
    if n >= 8 {
        let head = u64::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]);
        let tail = u64::from_le_bytes([bytes[n - 8], bytes[n - 7], bytes[n - 6], bytes[n - 5], bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
        (head, tail)
    } else if n >= 4 {
        let head = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let tail = u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
        (u64::from(head), u64::from(tail))
    } else if n > 0 {
        let packed = u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16;
        (packed, 0)
    } else {
        (0, 0)
    }
}
