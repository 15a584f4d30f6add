//! Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 with a
//! mark, else Windows-1252 (what Excel on Windows saves as "CSV"). A file with
//! NUL bytes is not a CSV (a spreadsheet, a ZIP, a PDF) and is refused.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// How the file was read, for the preview: `UTF-8`, `UTF-8 (BOM)`, `Windows-1252`…
    pub encoding: String,
}

pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid("file", "is empty"));
    }
    let (text, encoding) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(Error::invalid("file", format!("is marked as {} but is not valid {}", enc.name(), enc.name())));
        }
        (text.into_owned(), format!("{} (BOM)", enc.name()))
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), UTF_8.name().to_string())
    } else {
        let (text, _, _) = WINDOWS_1252.decode(bytes);
        (text.into_owned(), WINDOWS_1252.name().to_string())
    };
    if text.contains('\0') {
        return Err(Error::invalid(
            "file",
            "is not a CSV file (it holds binary data: a spreadsheet or archive? save it as CSV first)",
        ));
    }
    Ok(Decoded { text, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom_and_windows_1252_read_the_same_text() {
        let plain = decode("name\nZoë Müller\n".as_bytes()).unwrap();
        assert_eq!(plain.encoding, "UTF-8");
        let bom = decode("\u{feff}name\nZoë Müller\n".as_bytes()).unwrap();
        assert_eq!(bom.encoding, "UTF-8 (BOM)");
        assert_eq!(bom.text, plain.text);
        let (cp1252, _, _) = WINDOWS_1252.encode("name\nZoë Müller\n");
        let legacy = decode(&cp1252).unwrap();
        assert_eq!(legacy.encoding, "windows-1252");
        assert_eq!(legacy.text, plain.text);
    }

    #[test]
    fn a_binary_file_is_not_a_csv() {
        let err = decode(b"PK\x03\x04\x00\x00binary").unwrap_err();
        assert_eq!(err.field(), Some("file"));
        assert!(err.to_string().contains("not a CSV"));
    }
}
