//! Byte-to-text decoding and the "is this text at all?" check.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{KOI8_R, KOI8_U, UTF_16BE, UTF_16LE};

/// How many leading bytes the binary check looks at.
const SNIFF_BYTES: usize = 8 * 1024;
/// How many bytes the legacy-encoding detector is fed (plenty for a confident guess).
const DETECT_BYTES: usize = 256 * 1024;

/// Bytes where KOI8-U has a letter and KOI8-R a box-drawing character.
const KOI8_U_ONLY: &[u8] = &[0xA4, 0xA6, 0xA7, 0xAD, 0xAE, 0xB4, 0xB6, 0xB7, 0xBD, 0xBE];

/// Decodes bytes to text: UTF-8 (BOM stripped), UTF-16 LE/BE with a BOM, valid UTF-8,
/// else the legacy single-byte encoding chardetng guesses. Returns the text and the encoding name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = UTF_16LE.decode_without_bom_handling(rest);
        return (text.into_owned(), "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = UTF_16BE.decode_without_bom_handling(rest);
        return (text.into_owned(), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        // Valid UTF-8 cut inside the last character (a file truncated at the size limit).
        Err(e) if e.error_len().is_none() => (String::from_utf8_lossy(bytes).into_owned(), "UTF-8"),
        Err(_) => {
            let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
            let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
            detector.feed(sample, true);
            let mut encoding = detector.guess(None, Utf8Detection::Deny);
            // chardetng names the KOI8 family KOI8-U; plain Russian text is KOI8-R (they differ
            // only in the Ukrainian/Belarusian letters and box-drawing positions).
            if encoding == KOI8_U && !bytes.iter().any(|b| KOI8_U_ONLY.contains(b)) {
                encoding = KOI8_R;
            }
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            (text.into_owned(), encoding.name())
        }
    }
}

/// True when the bytes look like binary data rather than text: NUL bytes in the first 8 KiB
/// (unless the file starts with a UTF-16 byte-order mark), or more than 10% control characters.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        // UTF-16: judge the decoded text instead.
        let (text, _) = decode(&bytes[..bytes.len().min(SNIFF_BYTES)]);
        let total = text.chars().count();
        let control = text.chars().filter(|&c| is_bad_control(c)).count();
        return total > 0 && control * 10 > total;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x80 && is_bad_control(char::from(b)))
        .count();
    !head.is_empty() && control * 10 > head.len()
}

/// A control character that does not occur in ordinary text.
fn is_bad_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}' | '\u{1b}') && (c as u32) < 0x80
}

/// Decodes a text file, refusing binary data.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if looks_binary(bytes) {
        return Err("binary data, not text".to_owned());
    }
    Ok(decode(bytes))
}
