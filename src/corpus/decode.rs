//! Decoding an article's bytes: a byte-order mark first, then UTF-8 (with U+FFFD for a few bad
//! bytes, reported by offset), then the encoding chardetng guesses (GBK/GB18030, Big5 …) when
//! most of the file is not UTF-8; binary and empty files refused; line endings made LF.

use std::path::Path;

use crate::error::LoadError;

/// Why bytes could not become text; turned into a [`LoadError`] with the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeProblem {
    /// Binary data at this byte.
    Binary(usize),
    /// Not valid in the guessed encoding, nor in GB18030.
    Undecodable(&'static str),
    /// Nothing but whitespace.
    Empty,
}

impl DecodeProblem {
    pub(super) fn into_error(self, path: &Path) -> LoadError {
        let path = path.to_path_buf();
        match self {
            Self::Binary(offset) => LoadError::Binary { path, offset },
            Self::Undecodable(enc) => LoadError::Undecodable {
                path,
                encoding: enc.into(),
            },
            Self::Empty => LoadError::Empty { path },
        }
    }
}

/// Text decoded from a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// LF-normalised text.
    pub text: String,
    /// The encoding's name (`UTF-8`, `GBK`, `GB18030`, `UTF-16LE`, `Big5` …).
    pub encoding: &'static str,
    /// Byte offsets of bytes that were not valid UTF-8 (each became U+FFFD).
    pub bad_bytes: Vec<usize>,
}

/// Decodes a file's bytes: BOM first (UTF-8, UTF-16LE/BE), then UTF-8 — with replacement
/// characters where a few bytes are bad, as long as most of the non-ASCII bytes are UTF-8 —
/// and only then the encoding chardetng guesses (GBK/GB18030, Big5 …).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeProblem> {
    let done = |text: &str, encoding, bad_bytes| {
        finish(text, encoding).map(|(text, encoding)| Decoded {
            text,
            encoding,
            bad_bytes,
        })
    };
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            let (text, bad) = utf8_lossy(body, bom_len);
            return done(&text, "UTF-8", bad);
        }
        let Some(text) = enc.decode_without_bom_handling_and_without_replacement(body) else {
            return Err(DecodeProblem::Undecodable(enc.name()));
        };
        return done(&text, enc.name(), Vec::new());
    }
    if let Some(offset) = binary_offset(bytes) {
        return Err(DecodeProblem::Binary(offset));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return done(text, "UTF-8", Vec::new());
    }
    if mostly_utf8(bytes) {
        let (text, bad) = utf8_lossy(bytes, 0);
        return done(&text, "UTF-8", bad);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GB18030 is a superset of GBK: decoding with it accepts everything GBK does and more.
    let candidates = [guess, encoding_rs::GB18030, encoding_rs::BIG5];
    for enc in candidates {
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            let chinese = enc == encoding_rs::GB18030 || enc == encoding_rs::GBK;
            let name = match (chinese, has_gb18030_four_byte(bytes)) {
                (true, true) => "GB18030",
                (true, false) => "GBK",
                (false, _) => enc.name(),
            };
            return done(&text, name, Vec::new());
        }
    }
    Err(DecodeProblem::Undecodable(guess.name()))
}

/// Whether most non-ASCII bytes form valid UTF-8 (a UTF-8 file with a few stray or truncated
/// bytes), as opposed to a file in another encoding.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    good > bad
}

/// UTF-8 with U+FFFD for each invalid sequence, and the file offsets of those sequences.
fn utf8_lossy(bytes: &[u8], offset: usize) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    let mut at = offset;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push('\u{fffd}');
            bad.push(at);
            at += chunk.invalid().len();
        }
    }
    (text, bad)
}

/// Whether GB18030 bytes use a four-byte sequence (a character outside GBK): a lead byte
/// followed by a digit byte, which a GBK pair never has.
fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x81..=0xFE if i + 1 < bytes.len() => {
                if (0x30..=0x39).contains(&bytes[i + 1]) {
                    return true;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    false
}

fn finish(text: &str, encoding: &'static str) -> Result<(String, &'static str), DecodeProblem> {
    if text.trim().is_empty() {
        return Err(DecodeProblem::Empty);
    }
    if let Some(pos) = text.find('\0') {
        return Err(DecodeProblem::Binary(pos));
    }
    Ok((normalise_newlines(text), encoding))
}

/// Where the bytes stop looking like text: a NUL byte, or a run of control bytes that no
/// text encoding produces. `None` for text.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if let Some(p) = memchr_nul(bytes) {
        return Some(p);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    (controls * 20 > head.len().max(1)).then(|| {
        head.iter()
            .position(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
            .unwrap_or(0)
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// CRLF and lone CR become LF.
pub fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        let d = decode("脱贫攻坚\r\n5.3亿元\r".as_bytes()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("脱贫攻坚\n5.3亿元\n", "UTF-8")
        );
        assert!(d.bad_bytes.is_empty());
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("标注".as_bytes());
        assert_eq!(decode(&bom).unwrap().text, "标注");
    }

    #[test]
    fn decodes_gbk_utf16_and_big5() {
        let text = "白城市产业扶贫让脱贫攻坚“底气十足”,完成投资5.3亿元,带动贫困人口21万人。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&gbk).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "GBK");

        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&utf16).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "UTF-16LE"));

        let trad = "臺灣省政府推動扶貧計畫,投入經費三億元,協助偏遠鄉鎮發展產業與觀光。";
        let (big5, _, _) = encoding_rs::BIG5.encode(trad);
        assert_eq!(decode(&big5).unwrap().text, trad);
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_replaced_and_told() {
        let text = "吉林省白城市产业扶贫让脱贫攻坚“底气十足”,完成投资5.3亿元。".repeat(3);
        let mut bytes = text.as_bytes().to_vec();
        bytes.insert(9, 0xFF); // a stray byte after 吉林省
        let cut = bytes.len() - 1; // a truncated char at the end
        bytes.push(0xE5);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.bad_bytes, vec![9, cut + 1]);
        assert!(d.text.starts_with("吉林省\u{fffd}白城市"), "{}", d.text);
        assert!(d.text.ends_with("。\u{fffd}"));
        // With a BOM, offsets count the BOM.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(&bytes);
        assert_eq!(decode(&bom).unwrap().bad_bytes, vec![12, cut + 4]);
    }

    #[test]
    fn gb18030_is_named_when_it_is_not_gbk() {
        // 𠮟 and € are outside GBK: GB18030 writes them in four bytes.
        let text = "白城市产业扶贫让脱贫攻坚底气十足,完成投资五亿元,带动贫困人口二十一万人。𠮟";
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "GB18030");
    }

    #[test]
    fn rejects_binary_and_empty() {
        assert!(matches!(
            decode(&[0x89, b'P', b'N', b'G', 0, 0, 1, 2]),
            Err(DecodeProblem::Binary(_))
        ));
        assert_eq!(decode(b"  \n\t "), Err(DecodeProblem::Empty));
    }
}
