//! The built site held in memory: every file with the brotli and gzip copies the build wrote
//! beside it, its type, validators and caching policy, read once and answered without
//! reading the disk. Serving from disk (`ServeDir`) costs an open, a stat per precompressed
//! candidate and a read on the blocking pool for every request; for a site of a few
//! megabytes that is most of the receiver's time per page (issue 21's server bench).
//!
//! The site changes under a running receiver: `make content` (and the inbox's editor) swaps a
//! new `dist/` in with one rename, a build or an rsync rewrites files in place. So each answer
//! first checks the file's size and time on disk (one `stat`, from the kernel's cache): when
//! they differ, or a file appears that is not held, the site is read again (only what
//! changed) before answering, so a visitor never gets an older page than the disk holds. The
//! Content-Security-Policy comes with the snapshot: a publish that changes the pages' inline
//! code changes it too.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use massage_core::site_policy::{IMMUTABLE, REVALIDATE, is_hashed_asset};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

/// Larger files stay on disk (served by `ServeDir`): the site's largest, the wasm, is about
/// 1 MB, and a photo the therapist uploads is resized well below this.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Beyond this the rest of the site stays on disk: a bound on memory however big it grows.
const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// One file, ready to send.
pub(crate) struct File {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    etag: HeaderValue,
    last_modified: HeaderValue,
    modified: SystemTime,
    cache_control: &'static str,
    /// The size and time of the file and of its copies when read: a file whose stamps on
    /// disk differ is read again.
    stamps: [Option<Stamp>; 3],
}

/// A file's size and modification time: what tells that it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Stamp {
    len: u64,
    modified: (i64, i64),
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
        }
    }

    /// The file at `path` now, if there is one.
    fn at(path: &Path) -> Option<Self> {
        std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| Self::of(&m))
    }
}

/// The whole site at one moment.
pub(crate) struct Snapshot {
    files: HashMap<String, Arc<File>>,
    /// The site's policy, as `site::read_policy` reads it from this snapshot's `_headers`.
    policy: HeaderValue,
}

/// The site, swapped whole when it changes on disk.
pub(crate) struct SiteFiles {
    dir: PathBuf,
    current: RwLock<Arc<Snapshot>>,
    /// One reading of the disk at a time: requests that find the same change wait for it.
    reading: Mutex<()>,
}

impl SiteFiles {
    /// Reads the site in `dir`.
    pub(crate) fn load(dir: &Path) -> io::Result<Self> {
        Ok(Self {
            dir: dir.to_owned(),
            current: RwLock::new(Arc::new(Snapshot::read(dir, None)?)),
            reading: Mutex::new(()),
        })
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The file `path` names, as the disk holds it now, with the snapshot it belongs to;
    /// `None` when the disk has no such file to hold (the not-found rules decide).
    pub(crate) async fn find(self: &Arc<Self>, path: &str) -> Option<(Arc<Snapshot>, Arc<File>)> {
        let snapshot = self.snapshot();
        // One stat, from the kernel's cache: cheaper than handing it to the blocking pool.
        let fresh = match snapshot.find(path) {
            Some((key, file)) => Stamp::at(&self.dir.join(key)) == file.stamps[0],
            None => !candidates(path).iter().any(|k| self.dir.join(k).is_file()),
        };
        if !fresh {
            let site = self.clone();
            let read = tokio::task::spawn_blocking(move || site.reload()).await;
            match read {
                Ok(Ok(_)) => {}
                // Half-written by a build in progress, say: the whole old site still answers.
                Ok(Err(e)) => tracing::warn!(error = %e, "the site could not be read again"),
                Err(e) => tracing::warn!(error = %e, "reading the site again stopped"),
            }
        }
        let snapshot = self.snapshot();
        let file = snapshot.find(path)?.1.clone();
        Some((snapshot, file))
    }

    /// Reads what changed on disk and swaps the result in: what a request that finds a
    /// change waits for, and what a publisher calls once it has swapped a new site in.
    /// Whether anything changed.
    pub(crate) fn reload(&self) -> io::Result<bool> {
        let _one_at_a_time = self.reading.lock().unwrap_or_else(|e| e.into_inner());
        let old = self.snapshot();
        let fresh = Snapshot::read(&self.dir, Some(&old))?;
        let changed = fresh.differs_from(&old);
        if changed {
            tracing::info!(dir = %self.dir.display(), "serving the site anew");
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        }
        Ok(changed)
    }
}

/// The files a path may name (see `Snapshot::find`).
fn candidates(path: &str) -> Vec<String> {
    let Some(key) = path.strip_prefix('/') else {
        return Vec::new();
    };
    if key.is_empty() || key.ends_with('/') {
        vec![format!("{key}index.html")]
    } else {
        vec![key.to_owned(), format!("{key}/index.html")]
    }
}

impl Snapshot {
    /// Reads the site in `dir`, taking from `old` every file whose stamps (and its copies')
    /// have not changed.
    fn read(dir: &Path, old: Option<&Snapshot>) -> io::Result<Self> {
        let policy = crate::site::read_policy(dir)?;
        let policy = HeaderValue::from_str(&policy).map_err(io::Error::other)?;
        let mut paths = Vec::new();
        walk(dir, dir, &mut paths)?;
        let stamps: HashMap<&str, Stamp> = paths.iter().map(|(p, s)| (p.as_str(), *s)).collect();
        let mut files = HashMap::new();
        let mut total = 0;
        for (relative, stamp) in &paths {
            if is_precompressed_copy(relative) || stamp.len > MAX_FILE_BYTES {
                continue;
            }
            let now = [
                Some(*stamp),
                stamps.get(format!("{relative}.br").as_str()).copied(),
                stamps.get(format!("{relative}.gz").as_str()).copied(),
            ];
            let kept = old
                .and_then(|old| old.files.get(relative))
                .filter(|file| file.stamps == now);
            let file = match kept {
                Some(file) => file.clone(),
                None => Arc::new(File::read(dir, relative, now)?),
            };
            total += file.size();
            if total > MAX_TOTAL_BYTES {
                break;
            }
            files.insert(relative.clone(), file);
        }
        Ok(Self { files, policy })
    }

    /// Whether another file or policy is served.
    fn differs_from(&self, other: &Snapshot) -> bool {
        self.policy != other.policy
            || self.files.len() != other.files.len()
            || self
                .files
                .iter()
                .any(|(k, f)| other.files.get(k).is_none_or(|o| !Arc::ptr_eq(f, o)))
    }

    /// The file a path names, as a static host finds it: `/` and `/x/` are their
    /// `index.html`, and so is `/x` when there is no file `x` (a prerendered page without
    /// its slash: no redirect). `None` leaves the path to the disk and the not-found rules.
    fn find(&self, path: &str) -> Option<(&str, &Arc<File>)> {
        candidates(path)
            .into_iter()
            .find_map(|key| self.files.get_key_value(key.as_str()))
            .map(|(key, file)| (key.as_str(), file))
    }

    /// The answer to a GET or HEAD for `file`, by what the request accepts.
    pub(crate) fn answer(&self, file: &File, method: &Method, headers: &HeaderMap) -> Response {
        let mut response = if not_modified(file, headers) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (encoding, body) = file.body_for(headers);
            let body = if method == Method::HEAD {
                Body::empty()
            } else {
                Body::from(body.clone())
            };
            let mut response = Response::new(body);
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, file.content_type.clone());
            headers.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from(body_len(file, encoding)),
            );
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            headers.insert(header::LAST_MODIFIED, file.last_modified.clone());
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, file.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(file.cache_control),
        );
        headers.insert(header::CONTENT_SECURITY_POLICY, self.policy.clone());
        response
    }

    pub(crate) fn policy(&self) -> &HeaderValue {
        &self.policy
    }
}

fn body_len(file: &File, encoding: Option<&str>) -> usize {
    match encoding {
        Some("br") => file.brotli.as_ref().map_or(0, Bytes::len),
        Some(_) => file.gzip.as_ref().map_or(0, Bytes::len),
        None => file.identity.len(),
    }
}

impl File {
    /// Reads `relative` in `dir` and the copies its stamps say are there.
    fn read(dir: &Path, relative: &str, stamps: [Option<Stamp>; 3]) -> io::Result<Self> {
        let path = dir.join(relative);
        let copy = |stamp: Option<Stamp>, ext: &str| -> io::Result<Option<Bytes>> {
            let Some(_) = stamp else { return Ok(None) };
            let mut name = path.clone().into_os_string();
            name.push(ext);
            std::fs::read(&name).map(|b| Some(Bytes::from(b)))
        };
        let brotli = copy(stamps[1], ".br")?;
        let gzip = copy(stamps[2], ".gz")?;
        let modified = std::fs::metadata(&path)?.modified()?;
        let identity = Bytes::from(std::fs::read(&path)?);
        let content_type = mime_guess::from_path(relative).first_raw().map_or_else(
            || HeaderValue::from_static("application/octet-stream"),
            HeaderValue::from_static,
        );
        // Strong, from the content: the same bytes after a rebuild keep their validator,
        // so a browser's copy stays good across a publish that did not change the file.
        let digest = Sha256::digest(&identity);
        let etag = format!(
            "\"{}\"",
            digest[..12]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        Ok(Self {
            content_type,
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header"),
            last_modified: HeaderValue::from_str(&httpdate::fmt_http_date(modified))
                .expect("an HTTP date is a valid header"),
            modified,
            cache_control: if is_hashed_asset(&format!("/{relative}")) {
                IMMUTABLE
            } else {
                REVALIDATE
            },
            identity,
            brotli,
            gzip,
            stamps,
        })
    }

    /// The file as it is (`shell.html`, `404.html` for the not-found rules).
    pub(crate) fn bytes(&self) -> Bytes {
        self.identity.clone()
    }

    fn size(&self) -> u64 {
        [
            Some(&self.identity),
            self.brotli.as_ref(),
            self.gzip.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|b| b.len() as u64)
        .sum()
    }

    /// Brotli when accepted and written, else gzip, else the file as it is.
    fn body_for(&self, headers: &HeaderMap) -> (Option<&'static str>, &Bytes) {
        let accepts = |coding: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| accepts_coding(item, coding))
        };
        match (&self.brotli, &self.gzip) {
            (Some(br), _) if accepts("br") => (Some("br"), br),
            (_, Some(gz)) if accepts("gzip") => (Some("gzip"), gz),
            _ => (None, &self.identity),
        }
    }
}

/// Whether one item of Accept-Encoding (`gzip;q=0.5`) accepts `coding` (q=0 refuses it).
fn accepts_coding(item: &str, coding: &str) -> bool {
    let mut parts = item.split(';');
    let name = parts.next().unwrap_or_default().trim();
    if !name.eq_ignore_ascii_case(coding) {
        return false;
    }
    parts
        .filter_map(|p| p.trim().strip_prefix("q="))
        .all(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0))
}

/// The browser's copy is current: its ETag matches, or (without one) nothing changed since
/// the time it names.
fn not_modified(file: &File, headers: &HeaderMap) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        let ours = file.etag.as_bytes();
        return tags.to_str().is_ok_and(|tags| {
            tags.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/").as_bytes() == ours
            })
        });
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .zip(seconds(file.modified))
        .is_some_and(|(since, modified)| seconds(since).is_some_and(|since| modified <= since))
}

fn seconds(time: SystemTime) -> Option<u64> {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

fn is_precompressed_copy(relative: &str) -> bool {
    relative.ends_with(".br") || relative.ends_with(".gz")
}

/// Every file under `dir`, by path relative to `root` with `/` between parts.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Stamp)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // Hidden entries are not the site's (Trunk stages a build in `.stage`).
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let meta = entry.metadata()?;
        if meta.is_dir() {
            walk(root, &entry.path(), out)?;
        } else if meta.is_file()
            && let Ok(relative) = entry.path().strip_prefix(root)
            && let Some(relative) = relative.to_str()
        {
            out.push((
                relative.replace(std::path::MAIN_SEPARATOR, "/"),
                Stamp::of(&meta),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("index.html", "<!doctype html><title>home</title>");
        write("articles/back-pain/index.html", "<title>back pain</title>");
        write("app-0123456789abcdef.js", "js");
        write("app-0123456789abcdef.js.br", "brotli");
        write("app-0123456789abcdef.js.gz", "gzip");
        dir
    }

    fn request(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_str(v).unwrap()))
            .collect()
    }

    #[test]
    fn pages_are_found_with_or_without_their_slash_and_copies_are_not_pages() {
        let dir = site();
        let snapshot = Snapshot::read(dir.path(), None).unwrap();
        for path in ["/", "/articles/back-pain", "/articles/back-pain/"] {
            assert!(snapshot.find(path).is_some(), "{path}");
        }
        for path in [
            "/app-0123456789abcdef.js.br",
            "/articles",
            "/nothing",
            "",
            "/../x",
        ] {
            assert!(snapshot.find(path).is_none(), "{path}");
        }
    }

    #[test]
    fn the_best_accepted_copy_is_sent_and_q_zero_refuses_one() {
        let dir = site();
        let snapshot = Snapshot::read(dir.path(), None).unwrap();
        let (_, file) = snapshot.find("/app-0123456789abcdef.js").unwrap();
        for (accept, expected) in [
            ("gzip, deflate, br", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip;q=0.5", Some("gzip")),
            ("BR", Some("br")),
            ("identity", None),
            ("", None),
        ] {
            let (encoding, _) = file.body_for(&request(&[(header::ACCEPT_ENCODING, accept)]));
            assert_eq!(encoding, expected, "{accept}");
        }
    }

    #[test]
    fn a_current_copy_is_answered_not_modified() {
        let dir = site();
        let snapshot = Snapshot::read(dir.path(), None).unwrap();
        let (_, file) = snapshot.find("/").unwrap();
        let etag = file.etag.to_str().unwrap().to_owned();
        let get = |headers: HeaderMap| snapshot.answer(file, &Method::GET, &headers).status();
        assert_eq!(get(request(&[(header::IF_NONE_MATCH, &etag)])), 304);
        assert_eq!(
            get(request(&[(
                header::IF_NONE_MATCH,
                &format!("W/{etag}, \"x\"")
            )])),
            304
        );
        assert_eq!(get(request(&[(header::IF_NONE_MATCH, "\"other\"")])), 200);
        let later = httpdate::fmt_http_date(SystemTime::now() + std::time::Duration::from_secs(60));
        assert_eq!(get(request(&[(header::IF_MODIFIED_SINCE, &later)])), 304);
        assert_eq!(
            get(request(&[(
                header::IF_MODIFIED_SINCE,
                "Thu, 01 Jan 1970 00:00:00 GMT"
            )])),
            200
        );
    }

    #[tokio::test]
    async fn a_file_changed_on_disk_is_read_again_before_it_is_answered() {
        let dir = site();
        let files = Arc::new(SiteFiles::load(dir.path()).unwrap());
        let before = files.snapshot();
        assert!(!files.reload().unwrap(), "nothing changed");
        std::fs::write(dir.path().join("index.html"), "<title>new home</title>").unwrap();
        std::fs::create_dir_all(dir.path().join("articles/new")).unwrap();
        std::fs::write(
            dir.path().join("articles/new/index.html"),
            "<title>new</title>",
        )
        .unwrap();
        let (_, home) = files.find("/").await.unwrap();
        assert_eq!(&home.bytes()[..], b"<title>new home</title>");
        let (_, new) = files.find("/articles/new").await.unwrap();
        assert_eq!(&new.bytes()[..], b"<title>new</title>");
        // What did not change is the same file, not read again.
        let (_, script) = files.find("/app-0123456789abcdef.js").await.unwrap();
        let (_, kept) = before.find("/app-0123456789abcdef.js").unwrap();
        assert!(Arc::ptr_eq(&script, kept));
        assert!(files.find("/nothing").await.is_none());
    }
}
