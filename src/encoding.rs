//! Text in the encodings a byte-order mark announces (UTF-8 with a BOM, UTF-16 and UTF-32 in
//! either byte order), decoded to UTF-8 so that content checks read every file as UTF-8 lines.
//! A file without a BOM is passed through as it is (UTF-8, or bytes the checks treat alike).
//! Windows tools write UTF-16 with a BOM (PowerShell 5 `>`, regedit exports, Visual Studio
//! resource files); read as bytes, its NULs make it look binary and nothing in it is found.

use std::borrow::Cow;

/// The encoding a file's first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// No byte-order mark: taken as UTF-8 and passed through unchanged.
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Encoding {
    /// The encoding `head` (a file's first bytes, at least 4 unless the file is shorter)
    /// announces, and the length of its byte-order mark.
    pub fn sniff(head: &[u8]) -> (Encoding, usize) {
        match head {
            // UTF-32LE's mark starts like UTF-16LE's; a UTF-16 file starting with U+0000 would
            // be binary anyway.
            [0xFF, 0xFE, 0, 0, ..] => (Encoding::Utf32Le, 4),
            [0, 0, 0xFE, 0xFF, ..] => (Encoding::Utf32Be, 4),
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8Bom, 3),
            [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
            [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
            _ => (Encoding::Utf8, 0),
        }
    }

    /// Bytes per code unit.
    fn unit(self) -> usize {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => 1,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf32Le | Encoding::Utf32Be => 4,
        }
    }
}

/// `data` as UTF-8: borrowed when it has no byte-order mark, decoded when it has one.
pub fn decode(data: &[u8]) -> Cow<'_, [u8]> {
    match Encoding::sniff(data) {
        (Encoding::Utf8, _) => Cow::Borrowed(data),
        (Encoding::Utf8Bom, bom) => Cow::Borrowed(&data[bom..]),
        _ => {
            let mut out = Vec::with_capacity(data.len());
            let mut d = Decoder::default();
            d.feed(data, true, &mut out);
            Cow::Owned(out)
        }
    }
}

/// Decodes a stream fed in pieces of any size: a code unit or surrogate pair split between two
/// pieces is kept until the next one.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Known once the first 4 bytes (or the whole of a shorter stream) have been seen.
    encoding: Option<Encoding>,
    /// Bytes not decoded yet: the head before the BOM is known, or an incomplete code unit.
    pending: Vec<u8>,
    /// A UTF-16 high surrogate waiting for its low half.
    high: Option<u16>,
}

impl Decoder {
    /// Appends the UTF-8 form of `input` to `out`. `last`: nothing follows; an incomplete code
    /// unit at the end becomes U+FFFD.
    pub fn feed(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) {
        let mut input = input;
        let joined;
        if !self.pending.is_empty() {
            let mut v = std::mem::take(&mut self.pending);
            v.extend_from_slice(input);
            joined = v;
            input = &joined;
        }
        let encoding = match self.encoding {
            Some(e) => e,
            None if input.len() < 4 && !last => {
                self.pending = input.to_vec();
                return;
            }
            None => {
                let (e, bom) = Encoding::sniff(input);
                self.encoding = Some(e);
                input = &input[bom..];
                e
            }
        };
        let unit = encoding.unit();
        let whole = input.len() - input.len() % unit;
        let (body, rest) = input.split_at(whole);
        match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => out.extend_from_slice(body),
            Encoding::Utf16Le => self.utf16(body, u16::from_le_bytes, out),
            Encoding::Utf16Be => self.utf16(body, u16::from_be_bytes, out),
            Encoding::Utf32Le => utf32(body, u32::from_le_bytes, out),
            Encoding::Utf32Be => utf32(body, u32::from_be_bytes, out),
        }
        if last {
            if self.high.take().is_some() || !rest.is_empty() {
                push_char(char::REPLACEMENT_CHARACTER, out);
            }
        } else {
            self.pending = rest.to_vec();
        }
    }

    fn utf16(&mut self, body: &[u8], unit: fn([u8; 2]) -> u16, out: &mut Vec<u8>) {
        out.reserve(body.len() / 2);
        for pair in body.chunks_exact(2) {
            let u = unit([pair[0], pair[1]]);
            let c = match (self.high.take(), u) {
                (None, 0xD800..=0xDBFF) => {
                    self.high = Some(u);
                    continue;
                }
                (Some(h), 0xDC00..=0xDFFF) => {
                    let v = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                    char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                (Some(_), _) => {
                    // A high surrogate without its low half; `u` starts afresh.
                    push_char(char::REPLACEMENT_CHARACTER, out);
                    match u {
                        0xD800..=0xDBFF => {
                            self.high = Some(u);
                            continue;
                        }
                        _ => char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER),
                    }
                }
                (None, _) => char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER),
            };
            push_char(c, out);
        }
    }
}

fn utf32(body: &[u8], unit: fn([u8; 4]) -> u32, out: &mut Vec<u8>) {
    for q in body.chunks_exact(4) {
        let c =
            char::from_u32(unit([q[0], q[1], q[2], q[3]])).unwrap_or(char::REPLACEMENT_CHARACTER);
        push_char(c, out);
    }
}

fn push_char(c: char, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }
    fn utf16be(s: &str) -> Vec<u8> {
        let mut v = vec![0xFE, 0xFF];
        v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        v
    }
    fn utf32le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE, 0, 0];
        v.extend(s.chars().flat_map(|c| u32::from(c).to_le_bytes()));
        v
    }
    fn utf32be(s: &str) -> Vec<u8> {
        let mut v = vec![0, 0, 0xFE, 0xFF];
        v.extend(s.chars().flat_map(|c| u32::from(c).to_be_bytes()));
        v
    }

    const TEXT: &str = "héllo\r\nwörld 🎉 key = \"x\"\n";

    #[test]
    fn every_bom_decodes_to_the_same_text() {
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend_from_slice(TEXT.as_bytes());
        for data in [
            TEXT.as_bytes().to_vec(),
            utf8_bom,
            utf16le(TEXT),
            utf16be(TEXT),
            utf32le(TEXT),
            utf32be(TEXT),
        ] {
            assert_eq!(&*decode(&data), TEXT.as_bytes(), "{data:?}");
        }
        assert!(matches!(decode(TEXT.as_bytes()), Cow::Borrowed(_)));
    }

    #[test]
    fn pieces_of_any_size_decode_alike() {
        for data in [utf16le(TEXT), utf16be(TEXT), utf32be(TEXT)] {
            for size in 1..9 {
                let mut d = Decoder::default();
                let mut out = Vec::new();
                let pieces: Vec<&[u8]> = data.chunks(size).collect();
                for (i, p) in pieces.iter().enumerate() {
                    d.feed(p, i + 1 == pieces.len(), &mut out);
                }
                assert_eq!(out, TEXT.as_bytes(), "pieces of {size}");
            }
        }
    }

    #[test]
    fn broken_input_becomes_replacement_characters() {
        // A lone low surrogate, a high one followed by a letter, an odd trailing byte.
        let data = [0xFF, 0xFE, 0x00, 0xDC, 0x00, 0xD8, b'a', 0, b'b'];
        assert_eq!(
            String::from_utf8_lossy(&decode(&data)),
            "\u{FFFD}\u{FFFD}a\u{FFFD}"
        );
        let mut d = Decoder::default();
        let mut out = Vec::new();
        d.feed(&[0xFE, 0xFF, 0xD8, 0x3D], true, &mut out);
        assert_eq!(String::from_utf8_lossy(&out), "\u{FFFD}");
        assert_eq!(&*decode(&[0xFF]), &[0xFF]);
        assert_eq!(&*decode(&[]), b"");
    }
}
