//! Publishing the content folder into the live site, in this process, with the build's own
//! steps (`site_build::publish`: a copy of the site, the content steps on it, one atomic
//! swap; an error leaves the live site as it was). One publish at a time, and off the async
//! threads: a publish is seconds of CPU.
//!
//! Everything that changes the live site goes through `Publisher`: the inbox's editor, an
//! uploaded photo's files (`publish_photo`), `catch_up` (at start) and `publish_when_due`
//! (after each London midnight, so a scheduled article goes live on its day).
//! (The site is served from disk: a file published is served at once.)
//!
//! Deployed (`--site-build`), the live site is kept across restarts, and a new build becomes
//! live only with her content published onto it: while the live site is from another build,
//! every publish starts from the new build, so a refused one keeps her site as it was.
//! An automatic publish that fails is kept (`Publisher::failure`): the editor's list shows
//! it, /healthz fails, and the therapist is e-mailed once.

use crate::notify::Mailer;
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
    /// The deployed build (`--site-build`) and its id (`site_build::publish::build_id`).
    build: Option<(PathBuf, String)>,
    /// Held for one publish, and by the editor from writing a file until its publish is done.
    lock: Mutex<()>,
    /// Why the last automatic publish failed; `None` once any publish succeeds.
    failure: std::sync::Mutex<Option<Failure>>,
    /// The failure last e-mailed, so each is e-mailed once (until a publish succeeds); kept
    /// in `MAILED_FILE` too, so a restart (or a unit restarting in a loop) does not e-mail
    /// it again.
    mailed: std::sync::Mutex<Option<String>>,
    mailer: Option<Arc<Mailer>>,
}

/// In the content folder: the failure last e-mailed. A dot file, which the build ignores.
const MAILED_FILE: &str = ".publish-failure-mailed";

/// An automatic publish (at start, after midnight, hourly) that failed.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    /// When (Unix seconds).
    pub(crate) at: i64,
    /// The build's messages, with paths relative to the content folder.
    pub(crate) message: String,
}

/// A publish in progress: the content folder and the live site are this holder's alone.
pub(crate) struct Publishing<'a> {
    publisher: &'a Publisher,
    _held: MutexGuard<'a, ()>,
}

impl Publisher {
    /// Checks that the site is built and the prerenderer is there, so a wrong setting fails
    /// at start, not when she first publishes.
    pub(crate) fn new(
        content: &Path,
        site: &Path,
        prerender: &Path,
        build: Option<&Path>,
        mailer: Option<Arc<Mailer>>,
    ) -> Result<Self, String> {
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
        if build.is_some_and(|build| build == site) {
            return Err(format!(
                "--site-build {}: the build, not the live site (--site) published from it",
                site.display()
            ));
        }
        let build = build
            .map(|build| {
                site_build::publish::build_id(build)
                    .map(|id| (build.to_owned(), id))
                    .map_err(|e| format!("--site-build {}: {e}", build.display()))
            })
            .transpose()?;
        // No publish runs yet: any copy beside the site is a killed process's.
        for left in site_build::publish::remove_leftovers(site)? {
            tracing::info!(removed = %left.display(), "removed what a stopped publish left");
        }
        Ok(Self {
            content: content.to_owned(),
            site: site.to_owned(),
            prerender: prerender.to_owned(),
            build,
            lock: Mutex::new(()),
            failure: Default::default(),
            mailed: std::sync::Mutex::new(std::fs::read_to_string(content.join(MAILED_FILE)).ok()),
            mailer,
        })
    }

    /// The deployed build and its id, while the live site is not from it (or missing).
    fn build_behind(&self) -> Option<(PathBuf, String)> {
        let (build, id) = self.build.as_ref()?;
        let live = site_build::publish::live_build_id(&self.site);
        (live.as_ref() != Some(id)).then(|| (build.clone(), id.clone()))
    }

    /// Why the last automatic publish failed, until a publish succeeds.
    pub(crate) fn failure(&self) -> Option<Failure> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn succeeded(&self) {
        *self.failure.lock().unwrap_or_else(|e| e.into_inner()) = None;
        if self
            .mailed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .is_some()
        {
            let _ = std::fs::remove_file(self.content.join(MAILED_FILE));
        }
    }

    /// Keeps an automatic publish's failure for the inbox and /healthz, and e-mails the
    /// therapist the first time it is this one: nobody else would notice a scheduled
    /// article that never went live.
    fn failed(&self, message: &str) {
        // Server paths mean nothing to her: the build's messages name files as she knows them.
        let message = message.replace(&format!("{}/", self.content.display()), "");
        tracing::error!(error = %message, "publishing her articles automatically failed");
        let at = crate::api::now_seconds();
        *self.failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(Failure {
            at,
            message: message.clone(),
        });
        let mut mailed = self.mailed.lock().unwrap_or_else(|e| e.into_inner());
        if mailed.as_deref() == Some(message.as_str()) {
            return;
        }
        *mailed = Some(message.clone());
        if let Err(e) = std::fs::write(self.content.join(MAILED_FILE), &message) {
            tracing::warn!(error = %e, "could not note that the failure was e-mailed");
        }
        let Some(mailer) = self.mailer.clone() else {
            return;
        };
        let when = LondonDateTime::from_utc_seconds(at).for_people();
        // Not awaited: a slow mail server must not hold up the start or the next publish.
        tokio::task::spawn_blocking(move || {
            mailer.alert(
                "the site could not be updated",
                &format!(
                    "At {when} (London time) the booking site tried to publish your articles \
                     and could not:\n\n{message}\n\n\
                     The site shows your articles as they were before. The inbox's Articles \
                     page says the same; once the problem is fixed, your next publish (or the \
                     hourly one) brings the site up to date. This e-mail is sent once for \
                     this problem.\n"
                ),
            );
        });
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
        let onto_build = p.build_behind();
        let done = tokio::task::spawn_blocking(move || match onto_build {
            Some((build, id)) => {
                site_build::publish::publish_build(&build, &id, &content, &site, &prerender)
            }
            None => site_build::publish::publish(&content, &site, &prerender),
        })
        .await
        .map_err(|e| format!("the publish stopped: {e}"))?;
        match &done {
            Ok(published) => {
                tracing::info!(
                    took_ms = published.took.as_millis() as u64,
                    library = %published.library,
                    "published"
                );
                p.succeeded();
            }
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

/// Publishes if the site is behind the content folder or the deployed build: run before the
/// receiver serves (a new build deployed, articles written since, or an article that came
/// due while it was stopped), so the first visitor sees the site as she left it. A failure
/// is kept and told (`Publisher::failed`); the live site stays as it was.
pub(crate) async fn catch_up(publisher: &Publisher) {
    let behind = if publisher.build_behind().is_some() {
        Ok(true)
    } else {
        let (content, site) = (publisher.content.clone(), publisher.site.clone());
        tokio::task::spawn_blocking(move || site_build::needs_publishing(&content, &site))
            .await
            .unwrap_or_else(|e| Err(vec![format!("checking the content folder stopped: {e}")]))
    };
    match behind {
        Ok(true) => {
            if let Err(e) = publisher.publish().await {
                publisher.failed(&e);
            }
        }
        // Nothing to publish, so nothing stands in the way any more (a broken file removed).
        Ok(false) => publisher.succeeded(),
        Err(errors) => publisher.failed(&errors.join("\n")),
    }
}

/// Catches up at start, and makes sure there is a site to serve: with no live site at all
/// and her content refused, the deployed build as it is (the failure is kept and told).
pub(crate) async fn start(publisher: &Publisher) -> Result<(), String> {
    // A publish from the editor cut short (the receiver stopped before the build answered):
    // the published file as it was, her text kept as her draft, before anything is built.
    let folder = crate::content_folder::ContentFolder::new(&publisher.content);
    match tokio::task::spawn_blocking(move || folder.recover()).await {
        Ok(Ok(Some(slug))) => {
            tracing::warn!(article = %slug, "a publish was cut short: the published file is as it was, her text is her draft");
        }
        Ok(Ok(None)) => {}
        Ok(Err(e)) => return Err(format!("putting back a publish cut short: {e}")),
        Err(e) => return Err(format!("putting back a publish cut short stopped: {e}")),
    }
    catch_up(publisher).await;
    match &publisher.build {
        Some((build, _)) if !publisher.site.is_dir() => {
            tracing::warn!(
                "no live site, and her content could not be published: serving the build as it is"
            );
            let (build, site) = (build.clone(), publisher.site.clone());
            tokio::task::spawn_blocking(move || {
                site_build::publish::put_build_in_place(&build, &site)
            })
            .await
            .map_err(|e| format!("putting the build in place stopped: {e}"))?
        }
        _ => Ok(()),
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
