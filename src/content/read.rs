//! Reading a content file's bytes as UTF-8 text: special files and huge files
//! refused, UTF-16 and other encodings named, the first invalid byte pointed at.

use crate::messages::Message;
use crate::msg;
use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, Position};

/// Files above this size are refused with a clear error rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The UTF-8 byte order mark.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `bytes` start with a UTF-8 byte order mark, and the bytes after it.
pub(super) fn split_bom(bytes: &[u8]) -> (bool, &[u8]) {
    match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    }
}

/// What a file that is neither a regular file, a folder nor a symbolic link is, in
/// words; `None` for those three.
pub fn special_file(ft: std::fs::FileType) -> Option<Message> {
    if ft.is_file() || ft.is_dir() || ft.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some(msg!("read.fifo"));
        }
        if ft.is_socket() {
            return Some(msg!("read.socket"));
        }
        if ft.is_block_device() || ft.is_char_device() {
            return Some(msg!("read.device"));
        }
    }
    Some(msg!("read.not_regular"))
}

/// Reads a file as UTF-8 text, refusing huge files and pointing at the first
/// invalid byte. A UTF-8 byte order mark is dropped.
pub fn read_text(path: &Path, display: &str) -> Result<Arc<str>, Diagnostic> {
    decode_text(&read_bytes(path, display)?, display)
}

/// Reads a regular file's bytes, refusing special files and files above
/// [`MAX_FILE_BYTES`].
pub(super) fn read_bytes(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    let cannot_read = |e: std::io::Error| Diagnostic::error(display, None, msg!("read.cannot", reason = e.to_string()));
    let meta = std::fs::metadata(path).map_err(cannot_read)?;
    // (`metadata` follows links: a link to a named pipe is refused too.)
    if let Some(what) = special_file(meta.file_type()).or_else(|| meta.is_dir().then(|| msg!("read.folder"))) {
        return Err(
            Diagnostic::error(display, None, msg!("read.special", file = display, what = what))
                .with_help(msg!("read.special_help")),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        let megabytes = |n: u64| (n / (1024 * 1024)).to_string();
        return Err(Diagnostic::error(
            display,
            None,
            msg!(
                "read.too_big",
                size = megabytes(meta.len()),
                limit = megabytes(MAX_FILE_BYTES)
            ),
        )
        .with_help(msg!("read.too_big_help")));
    }
    std::fs::read(path).map_err(cannot_read)
}

/// A file's bytes as UTF-8 text (see [`read_text`]).
pub(super) fn decode_text(bytes: &[u8], display: &str) -> Result<Arc<str>, Diagnostic> {
    if let Some(encoding) = wide_encoding(bytes) {
        return Err(Diagnostic::error(
            display,
            Some(Position::new(1, 1)),
            msg!("read.wide_encoding", encoding = encoding),
        )
        .with_help(msg!("read.wide_encoding_help")));
    }
    let (_, bytes) = split_bom(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Arc::from(s)),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let pos = Position::of_offset(valid, valid.len());
            Err(Diagnostic::error(display, Some(pos), msg!("read.not_utf8")).with_help(msg!("read.not_utf8_help")))
        }
    }
}

/// Names a UTF-16 or UTF-32 file, recognised by its byte order mark or, without one,
/// by the NUL bytes that ASCII text has in every other byte (every fourth for UTF-32).
/// Such a file can be valid UTF-8 (NUL is a character), so this is checked first.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => return Some("UTF-32 (little-endian, with a byte order mark)"),
        [0, 0, 0xFE, 0xFF, ..] => return Some("UTF-32 (big-endian, with a byte order mark)"),
        [0xFF, 0xFE, ..] => return Some("UTF-16 (little-endian, with a byte order mark)"),
        [0xFE, 0xFF, ..] => return Some("UTF-16 (big-endian, with a byte order mark)"),
        _ => {}
    }
    // A sample from the start is enough: text in UTF-16 has NULs throughout.
    let sample = &bytes[..bytes.len().min(4096)];
    // Every verdict below needs NUL bytes (most files have none: one pass, no counting).
    if sample.len() < 4 || !sample.contains(&0) {
        return None;
    }
    let nul_share = |step: usize, at: usize| {
        let of: Vec<&u8> = sample.iter().skip(at).step_by(step).collect();
        of.iter().filter(|b| ***b == 0).count() as f64 / of.len().max(1) as f64
    };
    let (even, odd) = (nul_share(2, 0), nul_share(2, 1));
    if odd > 0.3 && even < 0.05 {
        Some("UTF-16 (little-endian, without a byte order mark)")
    } else if even > 0.3 && odd < 0.05 {
        Some("UTF-16 (big-endian, without a byte order mark)")
    } else if even > 0.9 && odd > 0.4 {
        Some("UTF-32 or another encoding with NUL bytes")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn utf16_is_recognised_with_and_without_a_byte_order_mark() {
        let text = "- id: company\n  name: 全社\n";
        let with_bom = |bom: &[u8], body: Vec<u8>| [bom, &body].concat();
        let le = wide_encoding(&with_bom(&[0xFF, 0xFE], utf16le(text))).unwrap();
        assert!(le.starts_with("UTF-16 (little-endian, with"), "{le}");
        let be = wide_encoding(&with_bom(&[0xFE, 0xFF], utf16be(text))).unwrap();
        assert!(be.starts_with("UTF-16 (big-endian, with"), "{be}");
        assert!(
            wide_encoding(&utf16le(text))
                .unwrap()
                .contains("little-endian, without")
        );
        assert!(wide_encoding(&utf16be(text)).unwrap().contains("big-endian, without"));
        // UTF-8, with or without its BOM, and Japanese text are not taken for UTF-16.
        assert_eq!(wide_encoding(text.as_bytes()), None);
        assert_eq!(wide_encoding(&with_bom(&[0xEF, 0xBB, 0xBF], text.into())), None);
        assert_eq!(wide_encoding("学び".repeat(100).as_bytes()), None);
    }
}
