//! The alarm feed's opaque cursor: URL-safe base64 (no padding) of
//! `jcj:<log position>`. Clients must not rely on the inside.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(super) fn encode(pos: usize) -> String {
    let raw = format!("jcj:{pos}");
    let b = raw.as_bytes();
    let mut out = String::with_capacity(b.len() * 4 / 3 + 3);
    for chunk in b.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        let chars = chunk.len() + 1;
        for k in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    out
}

pub(super) fn decode(cursor: &str) -> Option<usize> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut raw = Vec::with_capacity(cursor.len());
    for c in cursor.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            raw.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    std::str::from_utf8(&raw)
        .ok()?
        .strip_prefix("jcj:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips() {
        for pos in [0usize, 1, 12, 999, 123_456, 10_000_000] {
            assert_eq!(super::decode(&super::encode(pos)), Some(pos));
        }
        assert_eq!(super::decode("not a cursor!"), None);
        assert_eq!(super::decode(""), None);
    }
}
