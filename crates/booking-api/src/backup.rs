//! Backups of the one SQLite file that holds every request, decision and health summary:
//! `booking-api backup` and the server's schedule make them, `booking-api restore` puts one
//! back. A backup is written under a temporary name, checked with `PRAGMA integrity_check`,
//! and only then renamed into place, so a file with a backup's name is always a whole,
//! sound copy. The folder and files are readable by their owner only: they hold health data.

use crate::api::now_seconds;
use crate::health::Health;
use crate::notify::Mailer;
use crate::store::Store;
use massage_core::calendar::utc_timestamp;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How many backups a folder keeps unless told otherwise: two weeks of daily ones.
pub(crate) const DEFAULT_KEEP: usize = 14;

const PREFIX: &str = "bookings-";
const SUFFIX: &str = ".sqlite";

/// Backs `database` up into `dir` as `bookings-<UTC time>.sqlite`, then deletes all but the
/// newest `keep` backups there. Returns the new backup's path.
pub(crate) fn back_up(
    database: &Path,
    dir: &Path,
    keep: usize,
    now: i64,
) -> Result<PathBuf, String> {
    if !database.is_file() {
        return Err(format!("{} does not exist", database.display()));
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let store = Store::open(database).map_err(|e| format!("{}: {e}", database.display()))?;
    let name = format!("{PREFIX}{}{SUFFIX}", compact(now));
    let path = dir.join(&name);
    let partial = dir.join(format!(".{name}.partial"));
    let written = write_checked(&store, &partial, &path, dir);
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    store
        .set_last_backup_at(now)
        .map_err(|e| format!("{}: {e}", database.display()))?;
    rotate(dir, keep.max(1))?;
    Ok(path)
}

/// The server's own backups (`--backup-dir`, `--backup-every`, `--backup-keep`).
pub(crate) struct Schedule {
    pub(crate) database: PathBuf,
    pub(crate) dir: PathBuf,
    pub(crate) every: Duration,
    pub(crate) keep: usize,
}

/// After a failure, the next try comes this soon (or at the next scheduled time, if sooner).
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(3600);

/// Backs up whenever the last backup (by this server or `booking-api backup`) is `every`
/// old, at once if there is none. A failure is logged, shown by `/healthz`, and e-mailed to
/// the therapist once, not at every retry, until a backup works again.
pub(crate) async fn on_schedule(
    schedule: Schedule,
    health: Arc<Health>,
    mailer: Option<Arc<Mailer>>,
) {
    let schedule = Arc::new(schedule);
    let mut told = false;
    loop {
        // Unreadable, it is taken as never: one backup too many is harmless.
        let last = health
            .store
            .call(|s| s.last_backup_at())
            .await
            .ok()
            .flatten();
        let due = last.map_or(0, |at| at + schedule.every.as_secs() as i64);
        let wait = (due - now_seconds()).max(0);
        tokio::time::sleep(Duration::from_secs(wait as u64)).await;

        let run = schedule.clone();
        let made = tokio::task::spawn_blocking(move || {
            back_up(&run.database, &run.dir, run.keep, now_seconds())
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        let failure = match made {
            Ok(path) => {
                tracing::info!(path = %path.display(), "backed up");
                told = false;
                None
            }
            Err(e) => {
                tracing::error!(dir = %schedule.dir.display(), error = %e, "backup failed");
                Some(e)
            }
        };
        *health
            .backup_failure
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = failure.clone();
        let Some(failure) = failure else { continue };
        if !told {
            told = true;
            if let Some(mailer) = mailer.clone() {
                let dir = schedule.dir.display().to_string();
                let _ = tokio::task::spawn_blocking(move || {
                    mailer.alert(
                        "the backup failed",
                        &format!(
                            "The booking site could not back up its database into {dir}:\n\n\
                             {failure}\n\n\
                             It tries again every hour, and e-mails again only after a backup \
                             has worked. The requests themselves are safe in the database.\n"
                        ),
                    );
                })
                .await;
            }
        }
        tokio::time::sleep(RETRY_AFTER_FAILURE.min(schedule.every)).await;
    }
}

/// For backups made outside the receiver (a systemd timer running `booking-api backup`):
/// when the newest is older than allowed, the log says so and the therapist is e-mailed,
/// once, until a fresh backup appears. `/healthz` says the same meanwhile.
pub(crate) async fn watch_age(health: Arc<Health>, mailer: Option<Arc<Mailer>>) {
    let Some(max_age) = health.backup_max_age else {
        return;
    };
    let every = (max_age / 4).min(Duration::from_secs(3600));
    let mut told = false;
    loop {
        let last = health.store.call(|s| s.last_backup_at()).await;
        let now = now_seconds();
        let overdue = match last {
            Ok(at) => health.backup_overdue(at.map(|at| now - at), now),
            Err(e) => Some(format!("the last backup's time cannot be read: {e}")),
        };
        match overdue {
            None => told = false,
            Some(problem) if !told => {
                told = true;
                tracing::error!(%problem, "backups have stopped");
                if let Some(mailer) = mailer.clone() {
                    let _ = tokio::task::spawn_blocking(move || {
                        mailer.alert(
                            "backups have stopped",
                            &format!(
                                "The booking site's database has not been backed up as often as \
                                 it should: {problem}.\n\n\
                                 Check the backup timer on the server \
                                 (systemctl status booking-api-backup.timer; docs/deploy.md). \
                                 This is e-mailed again only after a backup has worked. The \
                                 requests themselves are safe in the database.\n"
                            ),
                        );
                    })
                    .await;
                }
            }
            // Said in the log at every look (hourly at most), e-mailed only once.
            Some(problem) => tracing::warn!(%problem, "backups are still overdue"),
        }
        tokio::time::sleep(every).await;
    }
}

fn write_checked(store: &Store, partial: &Path, path: &Path, dir: &Path) -> Result<(), String> {
    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", partial.display());
    let _ = fs::remove_file(partial); // left by a run that was cut off
    // VACUUM INTO fills an empty file it is given: made here, so it is private from the start.
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(partial)
        .map_err(|e| at(&e))?;
    store.copy_into(partial).map_err(|e| at(&e))?;
    check(partial).map_err(|e| format!("the copy failed its check ({e})"))?;
    File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| at(&e))?;
    fs::rename(partial, path).map_err(|e| format!("{}: {e}", path.display()))?;
    // The rename itself survives a power cut once the folder is synced.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// `20261124T091502Z`: sorts as it was made, and is a name every file system takes.
fn compact(now: i64) -> String {
    utc_timestamp(now).replace(['-', ':'], "")
}

fn is_backup_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .is_some_and(|stamp| {
            stamp.len() == 16
                && stamp.bytes().enumerate().all(|(i, b)| match i {
                    8 => b == b'T',
                    15 => b == b'Z',
                    _ => b.is_ascii_digit(),
                })
        })
}

/// Deletes all but the newest `keep` backups in `dir` (only files named as backups are).
fn rotate(dir: &Path, keep: usize) -> Result<(), String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_backup_name(name))
        .collect();
    names.sort();
    let old = names.len().saturating_sub(keep);
    for name in &names[..old] {
        fs::remove_file(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Whether `file` is a sound booking-api database: SQLite's own check of every page and
/// index, and the table every version has. The error says what is wrong.
pub(crate) fn check(file: &Path) -> Result<(), String> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| e.to_string())?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| e.to_string())?;
    if found != ["ok"] {
        let mut problems = found.into_iter().take(3).collect::<Vec<_>>().join("; ");
        problems.truncate(300);
        return Err(format!("integrity check: {problems}"));
    }
    let ours: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'booking_requests'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if ours {
        Ok(())
    } else {
        Err("it is an SQLite file, but not a booking-api database".into())
    }
}

/// Puts the backup `from` in place of `database`, after checking it; the database it
/// replaces is kept beside it, renamed. Refused while a receiver has the database open: it
/// would go on writing to the file moved aside. Returns what was done, for the operator.
pub(crate) fn restore(database: &Path, from: &Path, now: i64) -> Result<String, String> {
    if !from.is_file() {
        return Err(format!("{} does not exist", from.display()));
    }
    check(from).map_err(|e| {
        format!(
            "{} is damaged or not a backup ({e}); nothing was changed",
            from.display()
        )
    })?;
    let aside = if database.exists() {
        take_aside(database, now)?
    } else {
        None
    };
    let partial = with_suffix(database, ".restoring");
    let copied = fs::copy(from, &partial)
        .and_then(|_| File::open(&partial)?.sync_all())
        .and_then(|()| fs::rename(&partial, database));
    if let Err(e) = copied {
        let _ = fs::remove_file(&partial);
        if let Some(aside) = &aside {
            let _ = fs::rename(aside, database);
        }
        return Err(format!("{}: {e}; nothing was changed", database.display()));
    }
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    // Opening migrates a backup made by an older version to this one.
    let store = Store::open(database).map_err(|e| format!("{}: {e}", database.display()))?;
    let count = store.requests().map_err(|e| e.to_string())?.len();
    let mut done = format!(
        "restored {} from {} ({count} requests)",
        database.display(),
        from.display()
    );
    if let Some(aside) = aside {
        done.push_str(&format!(
            "; the database it replaced is kept as {}",
            aside.display()
        ));
    }
    Ok(done)
}

/// Moves the current database (and its write-ahead log, if any) aside, to
/// `<name>.replaced-<time>`; `None` when there was nothing there.
fn take_aside(database: &Path, now: i64) -> Result<Option<PathBuf>, String> {
    let in_use = || {
        format!(
            "{} is open in a running booking-api: stop it first (systemctl stop booking-api); nothing was changed",
            database.display()
        )
    };
    {
        // Every receiver keeps a shared lock on its database while it runs: an exclusive
        // lock, asked for without waiting, is refused while one does. Once held, the log
        // is folded into the file, so the file moved aside is whole.
        let mut conn = Connection::open(database).map_err(|e| e.to_string())?;
        conn.busy_timeout(std::time::Duration::ZERO)
            .map_err(|e| e.to_string())?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(|e| e.to_string())?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(|_| in_use())?;
        tx.commit().map_err(|_| in_use())?;
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
    let aside = with_suffix(database, &format!(".replaced-{}", compact(now)));
    for extra in ["-wal", "-shm"] {
        let file = with_suffix(database, extra);
        if file.exists() {
            let _ = fs::rename(&file, with_suffix(&aside, extra));
        }
    }
    fs::rename(database, &aside).map_err(|e| format!("{}: {e}", database.display()))?;
    Ok(Some(aside))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_as_backups_are_rotated() {
        assert!(is_backup_name("bookings-20261124T091502Z.sqlite"));
        for other in [
            "bookings.sqlite",
            "bookings-20261124T091502Z.sqlite.partial",
            ".bookings-20261124T091502Z.sqlite.partial",
            "bookings-2026-11-24.sqlite",
            "notes.txt",
        ] {
            assert!(!is_backup_name(other), "{other}");
        }
        assert_eq!(compact(0), "19700101T000000Z");
    }
}
