//! Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 with a
//! mark, else Windows-1252 (what Excel on Windows saves as "CSV"), or the
//! encoding the officer chose. A file with NUL bytes is not a CSV (a
//! spreadsheet, a ZIP, a PDF) and is refused.
//!
//! A file that reads as UTF-8 but for a few stray bytes is refused with the
//! line and byte offset of the first one, not read as Windows-1252: that
//! would turn every accented letter of the file into mojibake ("ZoÃ«") and
//! report the rows "ok". Only a file with no UTF-8 sequence at all is taken for
//! Windows-1252 unasked; the officer may always name the encoding.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// How the file was read, for the preview: `UTF-8`, `UTF-8 (BOM)`, `Windows-1252`…
    pub encoding: String,
}

/// The encoding an officer named (`utf-8`, `windows-1252`, `latin1`…), if any.
fn chosen(encoding: Option<&str>) -> Result<Option<&'static Encoding>> {
    match encoding.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(label) => Encoding::for_label(label.as_bytes())
            .map(Some)
            .ok_or_else(|| Error::invalid("encoding", "is not a known encoding (for example utf-8, windows-1252, iso-8859-15, utf-16le)")),
    }
}

/// Where the first byte that is not UTF-8 sits: its line (from 1) and byte offset (from 0).
fn first_bad_byte(bytes: &[u8], error: std::str::Utf8Error) -> (usize, usize) {
    let offset = error.valid_up_to();
    let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    (line, offset)
}

/// Whether the bytes hold at least one well-formed multi-byte UTF-8 sequence:
/// the sign of a UTF-8 file rather than a Windows-1252 one.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// Reads the bytes as text; `encoding` is the officer's choice (empty or `None`: detect).
pub fn decode(bytes: &[u8], encoding: Option<&str>) -> Result<Decoded> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid("file", "is empty"));
    }
    let chosen = chosen(encoding)?;
    let (text, encoding) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(Error::invalid("file", format!("is marked as {} but is not valid {}", enc.name(), enc.name())));
        }
        (text.into_owned(), format!("{} (BOM)", enc.name()))
    } else if let Some(enc) = chosen.filter(|e| *e != UTF_8) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(Error::invalid("file", format!("is not valid {} (choose the file's encoding)", enc.name())));
        }
        (text.into_owned(), enc.name().to_string())
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), UTF_8.name().to_string()),
            Err(e) if chosen.is_some() || has_utf8_sequence(bytes) => {
                let (line, offset) = first_bad_byte(bytes, e);
                return Err(Error::invalid(
                    "file",
                    format!(
                        "is UTF-8 text but for a byte that is not, at line {line} (byte offset {offset}); \
                         correct that byte, or choose the file's encoding to read it all in another one"
                    ),
                ));
            }
            Err(_) => {
                let (text, _, _) = WINDOWS_1252.decode(bytes);
                (text.into_owned(), WINDOWS_1252.name().to_string())
            }
        }
    };
    if text.contains('\0') {
        return Err(Error::invalid("file", "is not a CSV file (it holds binary data: a spreadsheet or archive? save it as CSV first)"));
    }
    Ok(Decoded { text, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom_and_windows_1252_read_the_same_text() {
        let plain = decode("name\nZoë Müller\n".as_bytes(), None).unwrap();
        assert_eq!(plain.encoding, "UTF-8");
        let bom = decode("\u{feff}name\nZoë Müller\n".as_bytes(), None).unwrap();
        assert_eq!(bom.encoding, "UTF-8 (BOM)");
        assert_eq!(bom.text, plain.text);
        let (cp1252, _, _) = WINDOWS_1252.encode("name\nZoë Müller\n");
        let legacy = decode(&cp1252, None).unwrap();
        assert_eq!(legacy.encoding, "windows-1252");
        assert_eq!(legacy.text, plain.text);
    }

    #[test]
    fn a_utf8_file_with_one_stray_byte_is_refused_with_its_line_and_offset() {
        let mut bytes = "name\nZoë Müller\nBob\n".as_bytes().to_vec();
        bytes.insert(bytes.len() - 2, 0xE9);
        let err = decode(&bytes, None).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains(&format!("byte offset {}", bytes.len() - 3)), "{err}");
        let chosen = decode(&bytes, Some("windows-1252")).unwrap();
        assert_eq!(chosen.encoding, "windows-1252");
        assert!(chosen.text.contains("ZoÃ«"), "read as the officer chose");
        assert_eq!(decode(&bytes, Some("klingon")).unwrap_err().field(), Some("encoding"));
    }

    #[test]
    fn a_binary_file_is_not_a_csv() {
        let err = decode(b"PK\x03\x04\x00\x00binary", None).unwrap_err();
        assert_eq!(err.field(), Some("file"));
        assert!(err.to_string().contains("not a CSV"));
    }
}
