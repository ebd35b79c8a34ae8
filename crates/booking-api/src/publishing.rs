//! Publishing the content folder into the live site, in this process, with the build's own
//! steps (`site_build::publish`: a copy of the site, the content steps on it, one atomic
//! swap; an error leaves the live site as it was). One publish at a time, and off the async
//! threads: a publish is seconds of CPU.
//!
//! Everything that changes the live site goes through `Publisher`: the inbox's editor, an
//! uploaded photo's files (`publish_photo`), `catch_up` (at start) and `publish_when_due`
//! (after each London midnight, so a scheduled article goes live on its day).
//! (The site is served from disk: a file published is served at once.)

use massage_core::articles::photos::Photo;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::clock::ClockTime;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

pub(crate) struct Publisher {
    /// The content folder: articles, drafts, history, photos.
    pub(crate) content: PathBuf,
    /// The live site the receiver serves.
    pub(crate) site: PathBuf,
    prerender: PathBuf,
    /// Held for one publish, and by the editor from writing a file until its publish is done.
    lock: Mutex<()>,
}

/// A publish in progress: the content folder and the live site are this holder's alone.
pub(crate) struct Publishing<'a> {
    publisher: &'a Publisher,
    _held: MutexGuard<'a, ()>,
}

impl Publisher {
    /// Checks that the site is built and the prerenderer is there, so a wrong setting fails
    /// at start, not when she first publishes.
    pub(crate) fn new(content: &Path, site: &Path, prerender: &Path) -> Result<Self, String> {
        if !content.join("articles").is_dir() {
            return Err(format!(
                "--content {}: no articles folder in it",
                content.display()
            ));
        }
        if !prerender.is_file() {
            return Err(format!(
                "--prerender {}: no such file (it is built with the site: make build)",
                prerender.display()
            ));
        }
        for folder in ["drafts", "history", "images"] {
            std::fs::create_dir_all(content.join(folder))
                .map_err(|e| format!("{}: {e}", content.join(folder).display()))?;
        }
        Ok(Self {
            content: content.to_owned(),
            site: site.to_owned(),
            prerender: prerender.to_owned(),
            lock: Mutex::new(()),
        })
    }

    /// Waits for any publish in progress, then holds the content folder and the site.
    pub(crate) async fn begin(&self) -> Publishing<'_> {
        Publishing {
            publisher: self,
            _held: self.lock.lock().await,
        }
    }

    /// Publishes the content folder as it is now.
    pub(crate) async fn publish(&self) -> Result<site_build::publish::Published, String> {
        self.begin().await.publish().await
    }
}

impl Publishing<'_> {
    /// The one place the live site is replaced (see the module's comment).
    pub(crate) async fn publish(&self) -> Result<site_build::publish::Published, String> {
        let p = self.publisher;
        let (content, site, prerender) = (p.content.clone(), p.site.clone(), p.prerender.clone());
        let done = tokio::task::spawn_blocking(move || {
            site_build::publish::publish(&content, &site, &prerender)
        })
        .await
        .map_err(|e| format!("the publish stopped: {e}"))?;
        match &done {
            Ok(published) => tracing::info!(
                took_ms = published.took.as_millis() as u64,
                library = %published.library,
                "published"
            ),
            Err(e) => tracing::warn!(error = %e, "publish refused; the site is as it was"),
        }
        done
    }

    /// Writes the published files of the photo `file` (in the content folder's `images/`)
    /// into the live site, where nothing links to them yet: the editor's preview shows the
    /// photo as the site will, and the next publish has nothing left to encode.
    pub(crate) async fn publish_photo(&self, file: String) -> Result<Photo, String> {
        let images = self.publisher.content.join("images");
        let out = self.publisher.site.join("images");
        tokio::task::spawn_blocking(move || site_build::images::publish_photo(&images, &file, &out))
            .await
            .map_err(|e| format!("the photo stopped: {e}"))?
    }
}

/// Publishes if the site is behind the content folder: run before the receiver serves (a
/// new build deployed over articles written since, or an article that came due while it was
/// stopped), so the first visitor sees the site as she left it.
pub(crate) async fn catch_up(publisher: &Publisher) {
    let (content, site) = (publisher.content.clone(), publisher.site.clone());
    let behind =
        tokio::task::spawn_blocking(move || site_build::needs_publishing(&content, &site)).await;
    match behind {
        Ok(Ok(true)) => {
            // Logged by `publish`, either way; a refused publish leaves the site as it was.
            let _ = publisher.publish().await;
        }
        Ok(Ok(false)) => {}
        Ok(Err(errors)) => tracing::error!(
            errors = %errors.join("; "),
            "the content folder has problems: nothing published until they are fixed"
        ),
        Err(e) => tracing::error!(error = %e, "checking the content folder stopped"),
    }
}

/// Catches up a few seconds after each London midnight (a scheduled article's day) and every
/// hour (a file changed by hand on the server).
pub(crate) async fn publish_when_due(publisher: Arc<Publisher>) {
    loop {
        tokio::time::sleep(until_after_midnight(crate::api::now_seconds())).await;
        catch_up(&publisher).await;
    }
}

/// How long from `now` until a few seconds after the next London midnight, at most an hour
/// (so a clock that jumps, or a day of 23 or 25 hours, never delays a day's articles long).
fn until_after_midnight(now: i64) -> Duration {
    let today = LondonDateTime::from_utc_seconds(now).date;
    let tomorrow =
        massage_core::calendar::Date::from_days_since_epoch(today.days_since_epoch() + 1);
    let midnight = LondonDateTime {
        date: tomorrow,
        time: ClockTime::from_minutes(0),
    }
    .to_utc_minutes()
        * 60;
    let wait = (midnight + 5 - now).clamp(1, 3600);
    Duration::from_secs(wait as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use massage_core::calendar::utc_seconds;

    #[test]
    fn the_next_check_is_just_after_london_midnight_and_at_most_an_hour_away() {
        // 2026-12-04 23:59:00 in London (GMT) is 23:59 UTC.
        let late = utc_seconds("2026-12-04T23:59:00Z").unwrap();
        assert_eq!(until_after_midnight(late), Duration::from_secs(65));
        // 2026-07-01 22:30 UTC is 23:30 in London (BST): midnight is 23:00 UTC.
        let summer = utc_seconds("2026-07-01T22:30:00Z").unwrap();
        assert_eq!(until_after_midnight(summer), Duration::from_secs(1805));
        let morning = utc_seconds("2026-12-04T09:00:00Z").unwrap();
        assert_eq!(until_after_midnight(morning), Duration::from_secs(3600));
    }
}
