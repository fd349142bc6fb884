//! Precompressed copies (`build --compress`, `compress = true`): `<file>.gz` and
//! `<file>.br` beside every text file, for hosts that serve them as they are
//! (nginx `gzip_static`, `brotli_static`). Byte-identical for identical input: gzip
//! with mtime 0 and no file name, brotli with fixed parameters.

use std::io::Write;

/// Text files smaller than this are left alone: their compressed copies would save
/// less than a packet.
pub const MIN_BYTES: usize = 256;

/// The extensions of the files that get compressed copies.
const TEXT_EXTENSIONS: [&str; 8] = ["html", "css", "js", "json", "xml", "svg", "csv", "txt"];

/// Whether the file at `path` (relative) with `len` bytes gets compressed copies.
pub fn wanted(path: &str, len: usize) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    len >= MIN_BYTES && TEXT_EXTENSIONS.contains(&ext)
}

/// gzip at level 9, mtime 0, no file name in the header.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// brotli at quality 11 (the best), window 22 (the encoder's default).
pub fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// What [`gzip`] compressed.
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// What [`brotli`] compressed.
pub fn unbrotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_original_and_are_the_same_every_time() {
        let text = "<p>学び</p>\n".repeat(100);
        let gz = gzip(text.as_bytes()).unwrap();
        assert_eq!(gz, gzip(text.as_bytes()).unwrap());
        // The header: magic, deflate, no flags (no name), mtime 0.
        assert_eq!(&gz[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        let br = brotli(text.as_bytes()).unwrap();
        assert_eq!(br, brotli(text.as_bytes()).unwrap());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        assert!(br.len() < text.len() / 10);
    }

    #[test]
    fn only_text_files_above_the_threshold() {
        assert!(wanted("index.html", 300));
        assert!(wanted("search/s/3.js", 1000));
        assert!(!wanted("index.html", 100));
        assert!(!wanted("img/logo.png", 100_000));
        assert!(!wanted("index.html.gz", 100_000));
    }
}
