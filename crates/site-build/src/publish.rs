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
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the prerenderer may run before it is stopped and the publish refused. It renders
/// every page in a second or two; one that hangs would otherwise hold the receiver's publish
/// lock for ever, and every later publish and photo upload with it.
pub const PRERENDER_DEADLINE: Duration = Duration::from_secs(60);

/// The file in a site published by `publish_build` naming the build it was made from
/// (`build_id`). A dot file: never served.
pub const BUILD_ID_FILE: &str = ".build-id";

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
    publish_onto(site, None, content, site, prerender)
}

/// Publishes `content` onto a fresh copy of the build in `build` (a new version deployed),
/// not onto the live site, and puts it in place of `site`: swapped in when there is a live
/// site, moved in when there is none. The live site's photos are linked into the copy, not
/// encoded again (their names are their content's hash). The copy gets `build_id`, so a
/// restart can tell the live site is already from this build. On an error the live site,
/// if any, is untouched.
pub fn publish_build(
    build: &Path,
    build_id: &str,
    content: &Path,
    site: &Path,
    prerender: &Path,
) -> Result<Published, String> {
    publish_onto(build, Some(build_id), content, site, prerender)
}

/// Puts a copy of the build in `build` as it is where there is no live site at all: the
/// last resort when publishing her content onto it was refused, so the receiver still has a
/// site to serve. It gets no build id: the next publish tries her content on the build again.
pub fn put_build_in_place(build: &Path, site: &Path) -> Result<(), String> {
    let staging = sibling(site, &format!("publishing-{}", std::process::id()));
    remove_if_there(&staging)?;
    copy_tree(build, &staging)
        .and_then(|()| std::fs::rename(&staging, site))
        .map_err(|e| {
            let _ = remove_if_there(&staging);
            format!(
                "putting {} in place as {}: {e}",
                build.display(),
                site.display()
            )
        })
}

/// The build id `publish_build` writes into the site, if the live site has one.
pub fn live_build_id(site: &Path) -> Option<String> {
    std::fs::read_to_string(site.join(BUILD_ID_FILE))
        .ok()
        .map(|id| id.trim().to_owned())
}

/// A fingerprint of every file in the built site `build` (names and bytes): any change to
/// the app, its styles or the content compiled into it gives another. Reading the whole
/// build takes well under a second; file times would not do, since copying a build to the
/// server (cp -r) changes them without changing the build.
pub fn build_id(build: &Path) -> io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    files_under(build, build, &mut files)?;
    files.sort();
    let mut hash = Sha256::new();
    for relative in files {
        let bytes = std::fs::read(build.join(&relative))?;
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    Ok(hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn files_under(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files_under(root, &path, files)?;
        } else {
            files.push(
                path.strip_prefix(root)
                    .map_err(io::Error::other)?
                    .to_owned(),
            );
        }
    }
    Ok(())
}

/// Removes the copies a publish leaves beside `site` when its process is killed mid-way
/// (`.site.publishing-<pid>`, `.site.old-<pid>`), unless that process still runs: each is a
/// whole site, and nothing else would ever remove them. What it removed.
pub fn remove_leftovers(site: &Path) -> Result<Vec<PathBuf>, String> {
    let (Some(parent), Some(name)) = (site.parent(), site.file_name()) else {
        return Ok(Vec::new());
    };
    // `dist` (as `make run` gives it) is in the current folder.
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let entries = match std::fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", parent.display())),
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = ["publishing-", "old-"]
            .iter()
            .find_map(|kind| rest.strip_prefix(kind))
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !is_running(pid)) {
            remove_if_there(&entry.path())?;
            removed.push(entry.path());
        }
    }
    Ok(removed)
}

/// Whether a process with this id runs (one of another user's counts as running).
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let done = unsafe { libc::kill(pid, 0) };
    done == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// The one way a site is published: a copy of `base` (the live site, or a new build) in a
/// staging folder beside `site`, the content steps on it, then the swap.
fn publish_onto(
    base: &Path,
    build_id: Option<&str>,
    content: &Path,
    site: &Path,
    prerender: &Path,
) -> Result<Published, String> {
    let started = Instant::now();
    if !base.join("shell.html").is_file() {
        return Err(format!(
            "{} is not a built site (no shell.html): build it first (make build)",
            base.display()
        ));
    }
    // Beside the live folder, so the swap is a rename within one file system; named by
    // process, so two publishes at once never write into each other's copy.
    let staging = sibling(site, &format!("publishing-{}", std::process::id()));
    remove_if_there(&staging)?;
    let steps = copy_built_site(base, &staging)
        .and_then(|()| {
            if build_id.is_some() {
                link_photos(&site.join("images"), &staging.join("images"))
            } else {
                Ok(())
            }
        })
        .map_err(|e| format!("copying {}: {e}", base.display()))
        .and_then(|()| content_steps(content, &staging, prerender))
        .and_then(|summaries| match build_id {
            Some(id) => std::fs::write(staging.join(BUILD_ID_FILE), id)
                .map(|()| summaries)
                .map_err(|e| format!("{}: {e}", staging.join(BUILD_ID_FILE).display())),
            None => Ok(summaries),
        });
    let (library, finished) = match steps {
        Ok(summaries) => summaries,
        Err(e) => {
            remove_if_there(&staging)?;
            return Err(e);
        }
    };
    if site.is_dir() {
        swap(&staging, site).map_err(|e| format!("swapping in {}: {e}", site.display()))?;
    } else {
        std::fs::rename(&staging, site)
            .map_err(|e| format!("putting {} in place: {e}", site.display()))?;
    }
    let took = started.elapsed();
    // Now the old site. A request still reading one of its files keeps it until done.
    remove_if_there(&staging)?;
    Ok(Published {
        library,
        finished,
        took,
    })
}

/// Links the live site's published photos (`from`) into a new build's copy (`to`), each file
/// that the build does not have itself: her photos are then not encoded again (six files
/// each), and keep their times, so nothing is compressed again. A copy where a link cannot
/// be made.
fn link_photos(from: &Path, to: &Path) -> io::Result<()> {
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    std::fs::create_dir_all(to)?;
    for entry in entries {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if !entry.file_type()?.is_file() || target.exists() {
            continue;
        }
        if std::fs::hard_link(entry.path(), &target).is_err() {
            copy_tree(&entry.path(), &target)?;
        }
    }
    Ok(())
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
    run_prerender(prerender, site, PRERENDER_DEADLINE)?;
    let finished = finish(content, site)?;
    Ok((library, finished))
}

/// Runs the prerenderer on `site`, stopping it (and anything it started) after `deadline`.
/// Its error output is the error.
fn run_prerender(prerender: &Path, site: &Path, deadline: Duration) -> Result<(), String> {
    let mut command = Command::new(prerender);
    command
        .arg(site)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // Its own process group, so stopping it stops whatever it started too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("running {}: {e}", prerender.display()))?;
    let mut stderr = child.stderr.take();
    // Read on the side: a prerenderer writing much to a full pipe would otherwise block.
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    loop {
        let waited = child
            .try_wait()
            .map_err(|e| format!("running {}: {e}", prerender.display()))?;
        if let Some(status) = waited {
            let text = errors.join().unwrap_or_default();
            return match (status.success(), text.trim()) {
                (true, _) => Ok(()),
                (false, "") => Err(format!("{} failed ({status})", prerender.display())),
                (false, text) => Err(text.to_owned()),
            };
        }
        if started.elapsed() >= deadline {
            stop(&mut child);
            return Err(format!(
                "{} did not finish within {} s, so it was stopped and nothing was published",
                prerender.display(),
                deadline.as_secs_f32()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kills a process started in its own group, with the group, and reaps it.
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(group) = libc::pid_t::try_from(child.id()) {
        // SAFETY: sends SIGKILL to the child's own process group (made at spawn).
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
    let _ = child.kill();
    let _ = child.wait();
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
/// copies of unchanged files alone). Its photos are linked, not copied: they are most of its
/// bytes, and never change in place (a changed photo is a new name), so a publish takes the
/// same time with ten photos or a thousand.
fn copy_built_site(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name() != "images" {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
    }
    link_photos(&from.join("images"), &to.join("images"))
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

    /// A stand-in prerenderer running `script`.
    fn prerenderer(dir: &Path, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("prerender");
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn a_prerenderer_that_hangs_is_stopped_at_the_deadline_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let hangs = prerenderer(dir.path(), "sleep 30");
        let started = Instant::now();
        let err = run_prerender(&hangs, dir.path(), Duration::from_millis(300)).unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert!(
            err.contains("did not finish within 0.3 s") && err.contains("prerender"),
            "{err}"
        );
        let fails = prerenderer(dir.path(), "echo 'cannot render /articles' >&2; exit 3");
        assert_eq!(
            run_prerender(&fails, dir.path(), PRERENDER_DEADLINE).unwrap_err(),
            "cannot render /articles"
        );
        let works = prerenderer(dir.path(), "touch \"$1/rendered\"");
        run_prerender(&works, dir.path(), PRERENDER_DEADLINE).unwrap();
        assert!(dir.path().join("rendered").is_file());
    }

    #[test]
    fn leftovers_of_a_killed_publish_are_removed_and_others_left() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        // No process has the id u32::MAX - 1 (Linux's ids stop at 2^22).
        let dead = u32::MAX - 1;
        let ours = std::process::id();
        for name in [
            format!(".site.publishing-{dead}"),
            format!(".site.old-{dead}"),
            format!(".site.publishing-{ours}"),
            format!(".other.publishing-{dead}"),
            "site".to_owned(),
        ] {
            std::fs::create_dir_all(dir.path().join(name).join("images")).unwrap();
        }
        let removed = remove_leftovers(&site).unwrap();
        assert_eq!(removed.len(), 2, "{removed:?}");
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                format!(".other.publishing-{dead}"),
                format!(".site.publishing-{ours}"),
                "site".to_owned()
            ]
        );
    }

    #[test]
    fn the_build_id_changes_with_any_file_and_not_with_file_times() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("images")).unwrap();
        std::fs::write(dir.path().join("shell.html"), "shell").unwrap();
        std::fs::write(dir.path().join("images/a.webp"), "a").unwrap();
        let first = build_id(dir.path()).unwrap();
        let then = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("shell.html"))
            .unwrap()
            .set_modified(then)
            .unwrap();
        assert_eq!(build_id(dir.path()).unwrap(), first);
        std::fs::write(dir.path().join("images/a.webp"), "b").unwrap();
        assert_ne!(build_id(dir.path()).unwrap(), first);
    }

    #[test]
    fn the_live_sites_photos_are_linked_into_a_new_build_not_copied() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let (live, copy) = (
            dir.path().join("live/images"),
            dir.path().join("copy/images"),
        );
        std::fs::create_dir_all(&live).unwrap();
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::write(live.join("hers-800.webp"), "hers").unwrap();
        std::fs::write(live.join("built-800.webp"), "old").unwrap();
        std::fs::write(copy.join("built-800.webp"), "new").unwrap();
        link_photos(&live, &copy).unwrap();
        let (a, b) = (
            std::fs::metadata(live.join("hers-800.webp")).unwrap(),
            std::fs::metadata(copy.join("hers-800.webp")).unwrap(),
        );
        assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()));
        assert_eq!(
            std::fs::read_to_string(copy.join("built-800.webp")).unwrap(),
            "new",
            "the build's own file wins"
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
        std::fs::create_dir_all(site.join("images")).unwrap();
        std::fs::write(site.join("images/p-0123456789ab-800.webp"), "photo").unwrap();
        copy_built_site(&site, &copy).unwrap();
        let copied = std::fs::metadata(copy.join("app_bg.wasm")).unwrap();
        assert_eq!(copied.modified().unwrap(), then);
        // A photo is the same file in both sites, not a copy.
        use std::os::unix::fs::MetadataExt;
        let inode = |site: &Path| {
            std::fs::metadata(site.join("images/p-0123456789ab-800.webp"))
                .unwrap()
                .ino()
        };
        assert_eq!(inode(&site), inode(&copy));
        assert!(copy.join("self-check/legs/index.html").is_file());
        assert!(copy.join("articles/gone/index.html").is_file());
    }
}
