//! Helpers shared by the unit tests of several modules.

/// `count` strings of `len` characters drawn from `alphabet` by a fixed pseudo-random
/// sequence (xorshift): the same strings on every run.
pub fn pseudo_random_texts(alphabet: &[char], count: usize, len: usize) -> Vec<String> {
    let mut state = 0x2545_f491_u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    };
    (0..count)
        .map(|_| {
            (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect()
        })
        .collect()
}
