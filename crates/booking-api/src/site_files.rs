//! The built site held in memory: every file with the brotli and gzip copies the build wrote
//! beside it, its type, validators and caching policy, read once and answered without a
//! system call. Serving from disk (`ServeDir`) costs an open, a stat per precompressed
//! candidate and a read on the blocking pool for every request; for a site of a few
//! megabytes that is most of the receiver's time per page (issue 21's server bench).
//!
//! The site changes under a running receiver: `make content` (and the inbox's editor) swaps a
//! new `dist/` in with one rename, and `make build` rewrites it in place. A watcher notices
//! both (the folder's identity a few times a second, every file's size and time every few
//! seconds) and loads the new site beside the old one before swapping it in, so a request is
//! always answered from one whole site. The Content-Security-Policy comes with the snapshot:
//! a publish that changes the pages' inline code changes it too.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use massage_core::site_policy::{IMMUTABLE, REVALIDATE, is_hashed_asset};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// Larger files stay on disk (served by `ServeDir`): the site's largest, the wasm, is about
/// 1 MB, and a photo the therapist uploads is resized well below this.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Beyond this the rest of the site stays on disk: a bound on memory however big it grows.
const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// How often the folder's identity is checked (a publish swaps it) and how often every file
/// is (a build rewrites files in place).
const SWAP_CHECK: Duration = Duration::from_millis(250);
const FILES_CHECK: Duration = Duration::from_secs(5);

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
}

/// The whole site at one moment.
pub(crate) struct Snapshot {
    files: HashMap<String, Arc<File>>,
    /// The site's policy, as `site::read_policy` reads it from this snapshot's `_headers`.
    policy: HeaderValue,
    /// What the watcher compares: every file's path, size and time.
    fingerprint: u64,
    /// The folder's device and inode: a swapped-in folder is a new inode.
    folder: (u64, u64),
}

/// The site, swapped whole when it changes on disk.
pub(crate) struct SiteFiles {
    dir: PathBuf,
    current: RwLock<Arc<Snapshot>>,
}

impl SiteFiles {
    /// Reads the site in `dir`.
    pub(crate) fn load(dir: &Path) -> io::Result<Self> {
        Ok(Self {
            dir: dir.to_owned(),
            current: RwLock::new(Arc::new(Snapshot::read(dir)?)),
        })
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads the site again now, and swaps it in if it changed: what the publisher calls
    /// when it has swapped a new site in, so the next request already sees it.
    pub(crate) fn reload(&self) -> io::Result<bool> {
        let fresh = Snapshot::read(&self.dir)?;
        let changed = {
            let now = self.snapshot();
            fresh.fingerprint != now.fingerprint || fresh.folder != now.folder
        };
        if changed {
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        }
        Ok(changed)
    }

    /// Watches the folder for the life of the receiver (see the module's comment).
    pub(crate) async fn watch(self: Arc<Self>) {
        let mut since_files_check = Duration::ZERO;
        loop {
            tokio::time::sleep(SWAP_CHECK).await;
            since_files_check += SWAP_CHECK;
            let swapped = folder_identity(&self.dir).is_ok_and(|f| f != self.snapshot().folder);
            if !swapped && since_files_check < FILES_CHECK {
                continue;
            }
            since_files_check = Duration::ZERO;
            if !swapped {
                // Only the files' sizes and times: reading the site is for when it changed.
                let site = self.clone();
                let changed = tokio::task::spawn_blocking(move || {
                    fingerprint(&site.dir).is_ok_and(|f| f != site.snapshot().fingerprint)
                })
                .await
                .unwrap_or(false);
                if !changed {
                    continue;
                }
            }
            let site = self.clone();
            match tokio::task::spawn_blocking(move || site.reload()).await {
                Ok(Ok(true)) => tracing::info!(dir = %self.dir.display(), "serving the site anew"),
                Ok(Ok(false)) => {}
                // Half-written by a build in progress, say: keep serving the whole old site
                // and try again at the next check.
                Ok(Err(e)) => tracing::warn!(error = %e, "the site could not be read again"),
                Err(e) => tracing::warn!(error = %e, "reading the site again stopped"),
            }
        }
    }
}

impl Snapshot {
    fn read(dir: &Path) -> io::Result<Self> {
        let policy = crate::site::read_policy(dir)?;
        let policy = HeaderValue::from_str(&policy).map_err(io::Error::other)?;
        let folder = folder_identity(dir)?;
        let mut paths = Vec::new();
        walk(dir, dir, &mut paths)?;
        let fingerprint = fingerprint_of(&paths);
        let mut files = HashMap::new();
        let mut total = 0;
        for (relative, meta) in &paths {
            if is_precompressed_copy(relative) || meta.len() > MAX_FILE_BYTES {
                continue;
            }
            let path = dir.join(relative);
            let sibling = |ext: &str| -> io::Result<Option<Bytes>> {
                let mut name = path.clone().into_os_string();
                name.push(ext);
                match std::fs::read(&name) {
                    Ok(bytes) => Ok(Some(Bytes::from(bytes))),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                }
            };
            let file = File::new(
                relative,
                Bytes::from(std::fs::read(&path)?),
                sibling(".br")?,
                sibling(".gz")?,
                meta.modified()?,
            );
            total += file.bytes();
            if total > MAX_TOTAL_BYTES {
                break;
            }
            files.insert(relative.clone(), Arc::new(file));
        }
        Ok(Self {
            files,
            policy,
            fingerprint,
            folder,
        })
    }

    /// The file a path names, as a static host finds it: `/` and `/x/` are their
    /// `index.html`, and so is `/x` when there is no file `x` (a prerendered page without
    /// its slash: no redirect). `None` leaves the path to the disk and the not-found rules.
    pub(crate) fn find(&self, path: &str) -> Option<&Arc<File>> {
        let key = path.strip_prefix('/')?;
        if key.is_empty() || key.ends_with('/') {
            return self.files.get(&format!("{key}index.html"));
        }
        self.files
            .get(key)
            .or_else(|| self.files.get(&format!("{key}/index.html")))
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

    /// A file's bytes as they are (`shell.html`, `404.html` for the not-found rules).
    pub(crate) fn bytes_of(&self, key: &str) -> Option<Bytes> {
        self.files.get(key).map(|f| f.identity.clone())
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
    fn new(
        relative: &str,
        identity: Bytes,
        brotli: Option<Bytes>,
        gzip: Option<Bytes>,
        modified: SystemTime,
    ) -> Self {
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
        Self {
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
        }
    }

    fn bytes(&self) -> u64 {
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

fn folder_identity(dir: &Path) -> io::Result<(u64, u64)> {
    let meta = std::fs::metadata(dir)?;
    Ok((meta.dev(), meta.ino()))
}

/// Every file under `dir`, by path relative to `root` with `/` between parts.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, std::fs::Metadata)>) -> io::Result<()> {
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
            out.push((relative.replace(std::path::MAIN_SEPARATOR, "/"), meta));
        }
    }
    Ok(())
}

fn fingerprint(dir: &Path) -> io::Result<u64> {
    let mut paths = Vec::new();
    walk(dir, dir, &mut paths)?;
    Ok(fingerprint_of(&paths))
}

fn fingerprint_of(paths: &[(String, std::fs::Metadata)]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut sorted: Vec<_> = paths
        .iter()
        .map(|(p, m)| (p.as_str(), m.len(), m.mtime(), m.mtime_nsec()))
        .collect();
    sorted.sort_unstable();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    sorted.hash(&mut hasher);
    hasher.finish()
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
        let snapshot = Snapshot::read(dir.path()).unwrap();
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
        let snapshot = Snapshot::read(dir.path()).unwrap();
        let file = snapshot.find("/app-0123456789abcdef.js").unwrap();
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
        let snapshot = Snapshot::read(dir.path()).unwrap();
        let file = snapshot.find("/").unwrap();
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
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
        assert_eq!(get(request(&[(header::IF_MODIFIED_SINCE, &later)])), 304);
        assert_eq!(
            get(request(&[(
                header::IF_MODIFIED_SINCE,
                "Thu, 01 Jan 1970 00:00:00 GMT"
            )])),
            200
        );
    }

    #[test]
    fn a_changed_file_is_served_after_a_reload_and_an_unchanged_site_is_not_read_again() {
        let dir = site();
        let files = SiteFiles::load(dir.path()).unwrap();
        assert!(!files.reload().unwrap());
        std::fs::write(dir.path().join("index.html"), "<title>new home</title>").unwrap();
        assert!(files.reload().unwrap());
        assert_eq!(
            &files.snapshot().bytes_of("index.html").unwrap()[..],
            b"<title>new home</title>"
        );
    }
}
