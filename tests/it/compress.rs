//! `build --compress`: a `.gz` and a `.br` beside every text file of 256 bytes or
//! more, each decompressing to its file, byte-identical from build to build; none
//! without the flag, and a later build without it removes the copies it wrote.

use std::io::Read;
use std::path::Path;

use crate::common::{self, output_files};

const TEXT: [&str; 8] = [".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt"];

fn build(root: &Path, out: &Path, compress: bool) {
    let mut cmd = common::okrsite();
    cmd.args(["build", "--root"]).arg(root).arg("--output").arg(out);
    if compress {
        cmd.arg("--compress");
    }
    cmd.assert().success();
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

fn is_copy(path: &str) -> bool {
    path.ends_with(".gz") || path.ends_with(".br")
}

#[test]
fn compressed_copies_are_complete_exact_and_the_same_every_build() {
    let site = common::site(None);
    let tmp = tempfile::tempdir().unwrap();
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    build(site.path(), &first, true);
    build(site.path(), &second, true);
    let files = output_files(&first);
    assert_eq!(files, output_files(&second), "two builds with --compress differ");
    let by_path: std::collections::HashMap<&str, &[u8]> =
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let mut copies = 0;
    for (path, bytes) in &files {
        if is_copy(path) {
            let original = by_path
                .get(&path[..path.len() - 3])
                .unwrap_or_else(|| panic!("{path} has no original"));
            let back = if path.ends_with(".gz") {
                gunzip(bytes)
            } else {
                unbrotli(bytes)
            };
            assert!(back == *original, "{path} does not decompress to its file");
            assert!(bytes.len() < original.len(), "{path} is not smaller");
            copies += 1;
        } else if TEXT.iter().any(|ext| path.ends_with(ext)) && bytes.len() >= 256 {
            for ext in ["gz", "br"] {
                assert!(
                    by_path.contains_key(format!("{path}.{ext}").as_str()),
                    "{path} has no .{ext}"
                );
            }
        } else {
            assert!(
                !by_path.contains_key(format!("{path}.gz").as_str()),
                "{path} is not compressed"
            );
        }
    }
    assert!(copies > 40, "{copies} copies");
    // The gzip header holds no time and no file name.
    let gz = by_path["index.html.gz"];
    assert_eq!(&gz[3..8], &[0, 0, 0, 0, 0], "flags and mtime");
}

#[test]
fn without_compress_there_are_no_copies_and_a_build_removes_the_old_ones() {
    let site = common::site(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(site.path(), &out, false);
    assert!(!output_files(&out).iter().any(|(p, _)| is_copy(p)));
    build(site.path(), &out, true);
    let compressed = output_files(&out);
    assert!(compressed.iter().any(|(p, _)| is_copy(p)));
    // A rebuild takes the unchanged copies over from the previous site: the same files.
    build(site.path(), &out, true);
    assert!(output_files(&out) == compressed, "a compressed rebuild differs");
    // A stale copy (edited by hand) is not taken over.
    std::fs::write(out.join("index.html.br"), b"stale").unwrap();
    build(site.path(), &out, true);
    assert!(output_files(&out) == compressed, "a stale copy was kept");
    build(site.path(), &out, false);
    let left: Vec<String> = output_files(&out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| is_copy(p))
        .collect();
    assert!(left.is_empty(), "copies left: {left:?}");
    // The config key does what the flag does.
    let config = site.path().join("okrsite.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("compress = true\n{text}")).unwrap();
    build(site.path(), &out, false);
    assert!(output_files(&out).iter().any(|(p, _)| p == "index.html.br"));
}
