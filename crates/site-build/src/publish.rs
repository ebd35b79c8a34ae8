//! Publishes the content again on a site that is already built, without compiling the app:
//! an article written or edited goes live in seconds, not the minutes a wasm build takes.
//!
//! The live folder is never half-written. The built site is copied beside it (timestamps
//! kept), the content steps of the build run on the copy as Trunk's hook runs them
//! (`site-build`, `prerender`, `finish-site`), and only when all of them have succeeded is the
//! copy swapped in, in one atomic rename. A content error leaves the live site as it was and
//! is reported like a build's. The steps leave a file that would not change as it is and
//! remove what a removed article left, so only what changed is compressed again: the
//! slow part (brotli at its best level).

use crate::finish::finish;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What a publish did, and how long it took.
#[derive(Debug)]
pub struct Published {
    /// The library's summary (`site-build`).
    pub library: String,
    /// The last step's summary (icons, manifest, compressed copies).
    pub finished: String,
    /// From the start until the new site was live.
    pub took: Duration,
}

/// Runs the content steps on a copy of `site` with the content in `content`, using the
/// prerenderer at `prerender`, and swaps the copy in. On an error the live site is untouched.
pub fn publish(content: &Path, site: &Path, prerender: &Path) -> Result<Published, String> {
    let started = Instant::now();
    if !site.join("shell.html").is_file() {
        return Err(format!(
            "{} is not a built site (no shell.html): build it first (make build)",
            site.display()
        ));
    }
    // Beside the live folder, so the swap is a rename within one file system; named by
    // process, so two publishes at once never write into each other's copy.
    let staging = sibling(site, &format!("publishing-{}", std::process::id()));
    remove_if_there(&staging)?;
    let steps = copy_built_site(site, &staging)
        .map_err(|e| format!("copying {}: {e}", site.display()))
        .and_then(|()| content_steps(content, &staging, prerender));
    let (library, finished) = match steps {
        Ok(summaries) => summaries,
        Err(e) => {
            remove_if_there(&staging)?;
            return Err(e);
        }
    };
    swap(&staging, site).map_err(|e| format!("swapping in {}: {e}", site.display()))?;
    let took = started.elapsed();
    // Now the old site. A request still reading one of its files keeps it until done.
    remove_if_there(&staging)?;
    Ok(Published {
        library,
        finished,
        took,
    })
}

/// The build's content steps, in the order Trunk's hook runs them (Trunk.toml).
fn content_steps(
    content: &Path,
    site: &Path,
    prerender: &Path,
) -> Result<(String, String), String> {
    // The prerenderer starts from Trunk's page, which the prerendered home page replaced;
    // `shell.html` is that page (with its policy, which the prerenderer writes anew).
    std::fs::copy(site.join("shell.html"), site.join("index.html"))
        .map_err(|e| format!("{}: {e}", site.join("index.html").display()))?;
    let library = crate::build(content, site).map_err(|errors| errors.join("\n"))?;
    let run = Command::new(prerender)
        .arg(site)
        .output()
        .map_err(|e| format!("running {}: {e}", prerender.display()))?;
    if !run.status.success() {
        return Err(String::from_utf8_lossy(&run.stderr).trim().to_owned());
    }
    let finished = finish(content, site)?;
    Ok((library, finished))
}

fn sibling(site: &Path, suffix: &str) -> PathBuf {
    let name = site
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    site.with_file_name(format!(".{name}.{suffix}"))
}

fn remove_if_there(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(format!("removing {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Copies the built site, keeping each file's time (so `precompress` leaves the compressed
/// copies of unchanged files alone).
fn copy_built_site(from: &Path, to: &Path) -> io::Result<()> {
    copy_tree(from, to)
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(from)?;
    if meta.is_dir() {
        std::fs::create_dir(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    std::fs::copy(from, to)?;
    std::fs::File::options()
        .write(true)
        .open(to)?
        .set_modified(meta.modified()?)
}

/// Puts `new` where `live` was in one step, so every request sees either the old site or
/// the new one: Linux exchanges the two names atomically (`renameat2`). Where it cannot,
/// two renames, with a moment in between when the folder is missing.
fn swap(new: &Path, live: &Path) -> io::Result<()> {
    match exchange(new, live) {
        Ok(()) => Ok(()),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {
            let old = sibling(live, &format!("old-{}", std::process::id()));
            std::fs::rename(live, &old)?;
            std::fs::rename(new, live)?;
            std::fs::rename(&old, new)
        }
        Err(e) => Err(e),
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let path = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (path(a)?, path(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_exchanges_the_two_folders_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (live, new) = (dir.path().join("dist"), dir.path().join(".dist.new"));
        for (folder, text) in [(&live, "old"), (&new, "new")] {
            std::fs::create_dir(folder).unwrap();
            std::fs::write(folder.join("index.html"), text).unwrap();
        }
        swap(&new, &live).unwrap();
        assert_eq!(
            std::fs::read_to_string(live.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(new.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_folder_that_is_not_a_built_site_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "mine").unwrap();
        let err = publish(dir.path(), dir.path(), Path::new("prerender")).unwrap_err();
        assert!(err.contains("is not a built site"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("index.html")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn the_copy_keeps_file_times() {
        let dir = tempfile::tempdir().unwrap();
        let (site, copy) = (dir.path().join("site"), dir.path().join("copy"));
        std::fs::create_dir_all(site.join("articles/gone")).unwrap();
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::create_dir_all(site.join("self-check/legs")).unwrap();
        std::fs::write(site.join("articles/gone/index.html"), "x").unwrap();
        std::fs::write(site.join("self-check/legs/index.html"), "legs").unwrap();
        let wasm = site.join("app_bg.wasm");
        std::fs::write(&wasm, "wasm").unwrap();
        let then = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(&wasm)
            .unwrap()
            .set_modified(then)
            .unwrap();
        copy_built_site(&site, &copy).unwrap();
        let copied = std::fs::metadata(copy.join("app_bg.wasm")).unwrap();
        assert_eq!(copied.modified().unwrap(), then);
        assert!(copy.join("self-check/legs/index.html").is_file());
        assert!(copy.join("articles/gone/index.html").is_file());
    }
}
