//! Brotli and gzip copies of every text file in the built site (`x.js` -> `x.js.br`,
//! `x.js.gz`), written once at build time at the best levels, so a server sends them as they
//! are instead of compressing each answer (the receiver's `ServeDir`, Netlify and most
//! static hosts pick them up; see docs/hosting.md).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files worth compressing: text and WebAssembly. Images (PNG) are compressed already.
const COMPRESSIBLE: [&str; 11] = [
    "html",
    "css",
    "js",
    "mjs",
    "wasm",
    "json",
    "md",
    "svg",
    "xml",
    "txt",
    "webmanifest",
];

/// Below this a compressed copy saves less than its headers cost.
const SMALLEST: u64 = 256;

/// What was written: files, and their raw, gzip and brotli bytes in total; and how many
/// files already had copies newer than themselves, left as they were.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub unchanged: usize,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Writes `.br` and `.gz` beside every compressible file under `site` (replacing old ones),
/// using every core: brotli at its best level takes a second or two for the wasm. A file
/// whose two copies are newer than it is left alone: republishing the content on a copy of
/// the built site (`publish`, timestamps kept) compresses only the pages that changed.
pub fn precompress(site: &Path) -> io::Result<Summary> {
    let mut found = Vec::new();
    collect(site, &mut found)?;
    let mut files = Vec::with_capacity(found.len());
    let mut unchanged = 0;
    for file in found {
        if up_to_date(&file)? {
            unchanged += 1;
        } else {
            files.push(file);
        }
    }
    let queue = Mutex::new(files);
    let summary = Mutex::new(Summary {
        unchanged,
        ..Summary::default()
    });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> io::Result<()> {
                    while let Some(file) = queue.lock().expect("queue").pop() {
                        let (raw, gzip, brotli) = compress_file(&file)?;
                        let mut s = summary.lock().expect("summary");
                        s.files += 1;
                        s.raw += raw;
                        s.gzip += gzip;
                        s.brotli += brotli;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("a compression thread panicked"))
    })?;
    Ok(summary.into_inner().expect("summary"))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, files)?;
        } else if is_compressible(&path) && entry.metadata()?.len() >= SMALLEST {
            files.push(path);
        }
    }
    Ok(())
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether both compressed copies exist and were written after the file last changed
/// (strictly: file times tick coarsely, so a copy stamped the same as its file may be older).
fn up_to_date(path: &Path) -> io::Result<bool> {
    let changed = std::fs::metadata(path)?.modified()?;
    for suffix in [".gz", ".br"] {
        match std::fs::metadata(with_suffix(path, suffix)) {
            Ok(copy) if copy.modified()? > changed => {}
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Writes the file's two copies; returns its raw, gzip and brotli sizes.
fn compress_file(path: &Path) -> io::Result<(u64, u64, u64)> {
    let raw = std::fs::read(path)?;
    let gzip = gzip(&raw)?;
    let brotli = brotli(&raw)?;
    std::fs::write(with_suffix(path, ".gz"), &gzip)?;
    std::fs::write(with_suffix(path, ".br"), &brotli)?;
    Ok((raw.len() as u64, gzip.len() as u64, brotli.len() as u64))
}

pub fn gzip(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw)?;
    encoder.finish()
}

pub fn brotli(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn writes_both_copies_of_text_files_and_leaves_the_rest() {
        let site = tempfile::tempdir().unwrap();
        let text = "<p>Back pain and massage.</p>\n".repeat(40);
        std::fs::create_dir_all(site.path().join("articles/x")).unwrap();
        std::fs::write(site.path().join("articles/x/index.html"), &text).unwrap();
        // Written well before it is compressed, as a build's files are.
        std::fs::File::options()
            .write(true)
            .open(site.path().join("articles/x/index.html"))
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
            .unwrap();
        std::fs::write(site.path().join("tiny.js"), "1").unwrap();
        std::fs::write(site.path().join("icon.png"), vec![7u8; 4096]).unwrap();

        let summary = precompress(site.path()).unwrap();

        assert_eq!(summary.files, 1);
        let page = site.path().join("articles/x/index.html");
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(page.with_extension("html.gz")).unwrap()[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, text);
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(
            &std::fs::read(page.with_extension("html.br")).unwrap()[..],
            4096,
        )
        .read_to_string(&mut unbrotlied)
        .unwrap();
        assert_eq!(unbrotlied, text);
        assert!(summary.brotli < summary.gzip && summary.gzip < summary.raw);
        assert!(!site.path().join("tiny.js.br").exists());
        assert!(!site.path().join("icon.png.br").exists());

        // Run again: nothing changed, nothing is compressed again. Then the page changes and
        // only its copies are written anew.
        let again = precompress(site.path()).unwrap();
        assert_eq!((again.files, again.unchanged), (0, 1));
        let changed = "<p>Changed.</p>\n".repeat(40);
        std::fs::write(&page, &changed).unwrap();
        let after = precompress(site.path()).unwrap();
        assert_eq!((after.files, after.unchanged), (1, 0));
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(page.with_extension("html.gz")).unwrap()[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, changed);
    }
}
