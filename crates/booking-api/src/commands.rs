//! The commands an operator runs beside the server, on the same database file: print the
//! requests, back up and restore, and a client's rights (export, erase, withdraw consent).
//! Results go to standard output, what was done to standard error.

use crate::api::now_seconds;
use crate::backup;
use crate::config::ClientAction;
use crate::store::Store;
use massage_core::calendar::utc_timestamp;
use std::io::Write;
use std::path::Path;

/// The store in an existing file: these commands never create an empty database.
fn existing(database: &Path) -> Result<Store, String> {
    if !database.exists() {
        return Err(format!("{} does not exist", database.display()));
    }
    Store::open(database).map_err(|e| format!("{}: {e}", database.display()))
}

/// Writes `lines` to standard output. A reader that has had enough (`booking-api requests
/// | head`) is no failure: the command stops quietly.
fn print(lines: impl IntoIterator<Item = String>) -> Result<(), String> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = lines
        .into_iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| format!("standard output: {e}")),
    }
}

pub(crate) fn print_requests(database: &Path) -> Result<(), String> {
    let requests = existing(database)?.requests().map_err(|e| e.to_string())?;
    print(requests.iter().map(ToString::to_string))
}

pub(crate) fn backup(database: &Path, to: &Path, keep: usize) -> Result<(), String> {
    let path = backup::back_up(database, to, keep, now_seconds())?;
    eprintln!("booking-api: backed up to {} (checked)", path.display());
    Ok(())
}

pub(crate) fn restore(database: &Path, from: &Path) -> Result<(), String> {
    let done = backup::restore(database, from, now_seconds())?;
    eprintln!("booking-api: {done}");
    Ok(())
}

/// Prints the path of a new secret address for her diary feed (the old address stops
/// working), or ends the feed.
pub(crate) fn diary_feed(database: &Path, revoke: bool) -> Result<(), String> {
    let store = existing(database)?;
    let failed = |e: rusqlite::Error| format!("{}: {e}", database.display());
    if revoke {
        store.revoke_diary_feed().map_err(failed)?;
        eprintln!("booking-api: the diary feed has ended; its address no longer works");
        return Ok(());
    }
    let (secret, hash) = crate::secret::new();
    store.set_diary_feed(&hash).map_err(failed)?;
    eprintln!(
        "booking-api: subscribe to this address, after the site's own (https://…), in your phone's calendar; any earlier one no longer works. Keep it private: it shows your clients' names."
    );
    print([format!("{}{secret}.ics", crate::diary_feed::PREFIX)])
}

pub(crate) fn client(database: &Path, email: &str, action: ClientAction) -> Result<(), String> {
    let email = email.trim();
    if email.is_empty() {
        return Err("--email must not be empty".into());
    }
    let store = existing(database)?;
    let failed = |e: rusqlite::Error| format!("{}: {e}", database.display());
    match action {
        ClientAction::Export => {
            let requests = store.export(email).map_err(failed)?;
            eprintln!("booking-api: {} requests from {email}", requests.len());
            let export = serde_json::json!({
                "email": email,
                "exported_at": utc_timestamp(now_seconds()),
                "requests": requests,
            });
            let text = serde_json::to_string_pretty(&export).map_err(|e| e.to_string())?;
            print([text])
        }
        ClientAction::Erase => {
            let n = store.erase(email).map_err(failed)?;
            eprintln!(
                "booking-api: deleted {n} requests from {email}, with their history and e-mails \
                 (backups keep them until they are rotated out)"
            );
            Ok(())
        }
        ClientAction::WithdrawConsent => {
            let now = utc_timestamp(now_seconds());
            let n = store.withdraw_consent(email, &now).map_err(failed)?;
            eprintln!(
                "booking-api: deleted the health summary from {n} requests from {email}; \
                 the bookings are kept"
            );
            Ok(())
        }
    }
}
