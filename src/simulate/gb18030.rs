//! A memoising GB18030 encoder for the CSV export.
//!
//! `encoding_rs` encodes CJK into GB18030 by searching its tables, which is
//! fine in release builds but slow in debug builds (a few µs per character),
//! and the hub's tests run in debug. Each distinct character is encoded once
//! through `encoding_rs` and remembered, so the bytes are exactly
//! `encoding_rs`'s.

pub(super) struct Gb18030Encoder {
    /// Per BMP code point: [len, b0, b1, b2, b3]; len 0 = not yet known.
    table: Vec<[u8; 5]>,
}

impl Gb18030Encoder {
    pub(super) fn new() -> Self {
        Gb18030Encoder {
            table: vec![[0; 5]; 0x1_0000],
        }
    }

    pub(super) fn encode_into(&mut self, s: &str, out: &mut Vec<u8>) {
        for c in s.chars() {
            let cp = c as u32;
            if cp < 0x80 {
                out.push(cp as u8);
                continue;
            }
            if cp > 0xFFFF {
                let mut buf = [0u8; 4];
                out.extend_from_slice(&encoding_rs::GB18030.encode(c.encode_utf8(&mut buf)).0);
                continue;
            }
            let entry = &mut self.table[cp as usize];
            if entry[0] == 0 {
                let mut buf = [0u8; 4];
                let bytes = encoding_rs::GB18030.encode(c.encode_utf8(&mut buf)).0;
                entry[0] = bytes.len() as u8;
                entry[1..1 + bytes.len()].copy_from_slice(&bytes);
            }
            out.extend_from_slice(&entry[1..1 + entry[0] as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_bytes_as_encoding_rs() {
        let s = "工单编号,来电时间 华夏南路１０８号 陳偉 €·—🙂 abc";
        let mut out = Vec::new();
        let mut enc = super::Gb18030Encoder::new();
        enc.encode_into(s, &mut out);
        enc.encode_into(s, &mut out);
        let once = encoding_rs::GB18030.encode(s).0.into_owned();
        assert_eq!(out, [once.clone(), once].concat());
    }
}
