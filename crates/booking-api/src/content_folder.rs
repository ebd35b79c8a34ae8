//! The content folder as the inbox's editor keeps it:
//!
//! - `articles/<slug>.md`: what is on the site or scheduled: the only files the build reads;
//! - `drafts/<slug>.md`: her work not on the site: a new article, or changes to a published
//!   one ("saved, not published"); the build never reads them, so a half-written draft can
//!   never stop a publish;
//! - `history/<slug>/<UTC time>.md`: every version of `articles/<slug>.md` before it was
//!   replaced;
//! - `images/<name>.jpg`: photos, upright and without metadata (see `prepare_upload`).
//!
//! Every file is written whole under another name and renamed into place, so a file is
//! never half-written, whatever happens meanwhile.

use massage_core::articles::front_matter;
use massage_core::articles::library::Standing;
use massage_core::calendar::{Date, unix_seconds, utc_timestamp};
use massage_core::services::is_slug;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone)]
pub(crate) struct ContentFolder {
    root: PathBuf,
}

/// One article in the editor's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) slug: String,
    /// From the draft when there is one, else from the published file.
    pub(crate) title: String,
    pub(crate) date: String,
    /// Whether `articles/<slug>.md` is on the site, scheduled or marked a draft; `None` when
    /// it has never been published.
    pub(crate) live: Option<Standing>,
    /// When changes not on the site were saved (UTC seconds), if there are some.
    pub(crate) draft_saved: Option<i64>,
}

/// What replacing a published file left, to put it back if the publish is refused.
pub(crate) struct Replaced {
    slug: String,
    previous: Option<String>,
    kept: Option<PathBuf>,
}

static WRITES: AtomicU64 = AtomicU64::new(0);

/// The publish under way: the article's address, then `+` and its published file as it was,
/// or `-` when it had none. Hidden, so the build never reads it.
const PUBLISHING: &str = ".publishing-article";

impl ContentFolder {
    pub(crate) fn new(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    fn live_path(&self, slug: &str) -> PathBuf {
        self.root.join("articles").join(format!("{slug}.md"))
    }

    fn draft_path(&self, slug: &str) -> PathBuf {
        self.root.join("drafts").join(format!("{slug}.md"))
    }

    /// How the build names the published file in its messages.
    pub(crate) fn shown_path(&self, slug: &str) -> String {
        format!("{}/articles/{slug}.md", self.root.display())
    }

    /// The published (or scheduled) file's text.
    pub(crate) fn live(&self, slug: &str) -> io::Result<Option<String>> {
        read_if_there(&self.live_path(slug))
    }

    /// The saved draft's text and when it was saved (UTC seconds).
    pub(crate) fn draft(&self, slug: &str) -> io::Result<Option<(String, i64)>> {
        let path = self.draft_path(slug);
        let Some(text) = read_if_there(&path)? else {
            return Ok(None);
        };
        Ok(Some((
            text,
            unix_seconds(std::fs::metadata(&path)?.modified()?),
        )))
    }

    /// Whether an article has this address already, published or not.
    pub(crate) fn is_taken(&self, slug: &str) -> bool {
        self.live_path(slug).exists() || self.draft_path(slug).exists()
    }

    /// Keeps `text` as the article's changes not on the site. When it is what the site has
    /// already, there are no such changes, and a draft saved before goes.
    pub(crate) fn save_draft(&self, slug: &str, text: &str) -> io::Result<()> {
        if self.live(slug)?.as_deref() == Some(text) {
            return self.remove_draft(slug);
        }
        write_whole(&self.draft_path(slug), text.as_bytes())
    }

    /// Removes the draft when it is still `published` (what was just published): a draft
    /// saved meanwhile (another tab, while the site was being built) is newer work, and stays.
    pub(crate) fn remove_draft_if(&self, slug: &str, published: &str) -> io::Result<()> {
        match self.draft(slug)? {
            Some((text, _)) if text == published => self.remove_draft(slug),
            _ => Ok(()),
        }
    }

    /// Keeps the draft in the article's history before something replaces it (a kept
    /// version put back in the editor): her unpublished words are never simply overwritten.
    pub(crate) fn keep_draft(&self, slug: &str, now: i64) -> io::Result<()> {
        if let Some((text, _)) = self.draft(slug)? {
            self.keep_as(slug, &text, now, "-draft")?;
        }
        Ok(())
    }

    pub(crate) fn remove_draft(&self, slug: &str) -> io::Result<()> {
        match std::fs::remove_file(self.draft_path(slug)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Puts `text` in place as the article's published file, keeping the version it
    /// replaces in the history.
    pub(crate) fn replace_live(&self, slug: &str, text: &str, now: i64) -> io::Result<Replaced> {
        let previous = self.live(slug)?;
        // Written before the published file changes, removed once the publish is settled
        // (`settled`): if the receiver stops in between, `recover` puts the file back.
        let intent = match &previous {
            Some(previous) => format!("{slug}\n+{previous}"),
            None => format!("{slug}\n-"),
        };
        write_whole(&self.root.join(PUBLISHING), intent.as_bytes())?;
        let kept = match &previous {
            Some(old) if old != text => Some(self.keep(slug, old, now)?),
            _ => None,
        };
        write_whole(&self.live_path(slug), text.as_bytes())?;
        Ok(Replaced {
            slug: slug.to_owned(),
            previous,
            kept,
        })
    }

    /// Undoes `replace_live` (the publish was refused): the file as it was, no new version.
    pub(crate) fn put_back(&self, replaced: Replaced) -> io::Result<()> {
        match &replaced.previous {
            Some(text) => write_whole(&self.live_path(&replaced.slug), text.as_bytes())?,
            None => std::fs::remove_file(self.live_path(&replaced.slug))?,
        }
        if let Some(kept) = replaced.kept {
            std::fs::remove_file(kept)?;
        }
        self.settled()
    }

    /// The publish that `replace_live` started is over (published, or put back).
    pub(crate) fn settled(&self) -> io::Result<()> {
        match std::fs::remove_file(self.root.join(PUBLISHING)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// After a stop in the middle of a publish (a crash, a power cut): the published file as
    /// it was before, so that a version the build never accepted cannot stop every later
    /// publish. Her text, if it is nowhere else, is kept as her draft. Run before the
    /// receiver publishes anything; the article it put back, if any.
    pub(crate) fn recover(&self) -> io::Result<Option<String>> {
        let Some(intent) = read_if_there(&self.root.join(PUBLISHING))? else {
            return Ok(None);
        };
        let Some((slug, previous)) = intent.split_once('\n').filter(|(slug, _)| is_slug(slug))
        else {
            self.settled()?;
            return Ok(None);
        };
        let previous = previous.strip_prefix('+');
        let current = self.live(slug)?;
        if let Some(current) = &current
            && Some(current.as_str()) != previous
            && self.draft(slug)?.is_none()
        {
            write_whole(&self.draft_path(slug), current.as_bytes())?;
        }
        match previous {
            Some(text) => write_whole(&self.live_path(slug), text.as_bytes())?,
            None if current.is_some() => std::fs::remove_file(self.live_path(slug))?,
            None => {}
        }
        self.settled()?;
        Ok(Some(slug.to_owned()))
    }

    fn keep(&self, slug: &str, text: &str, now: i64) -> io::Result<PathBuf> {
        self.keep_as(slug, text, now, "")
    }

    /// Keeps `text` in the history as `<UTC time><kind>[-<n>].md`.
    fn keep_as(&self, slug: &str, text: &str, now: i64, kind: &str) -> io::Result<PathBuf> {
        let dir = self.root.join("history").join(slug);
        std::fs::create_dir_all(&dir)?;
        let utc: String = utc_timestamp(now)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let stamp = format!("{utc}{kind}");
        for n in 1.. {
            let name = if n == 1 {
                format!("{stamp}.md")
            } else {
                format!("{stamp}-{n}.md")
            };
            let path = dir.join(name);
            match std::fs::File::create_new(&path) {
                Ok(mut file) => {
                    file.write_all(text.as_bytes())?;
                    file.sync_all()?;
                    return Ok(path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        unreachable!("some number is free")
    }

    /// The versions kept of an article, newest first, by name (`20261204T181336Z`).
    pub(crate) fn history(&self, slug: &str) -> io::Result<Vec<String>> {
        let dir = self.root.join("history").join(slug);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".md").map(str::to_owned))
            .filter(|n| is_version_name(n))
            .collect();
        names.sort_by_key(|name| std::cmp::Reverse(version_order(name)));
        Ok(names)
    }

    /// One kept version's text.
    pub(crate) fn version(&self, slug: &str, name: &str) -> io::Result<Option<String>> {
        if !is_version_name(name) {
            return Ok(None);
        }
        read_if_there(
            &self
                .root
                .join("history")
                .join(slug)
                .join(format!("{name}.md")),
        )
    }

    /// Keeps a photo (already made ready: see `site_build::images::prepare_upload`) as
    /// `images/<prefix>-<n>.jpg`, with the first number free: its file name. Called while
    /// publishing is held (`Publisher::begin`), so no publish reads the folder meanwhile.
    pub(crate) fn add_photo(&self, prefix: &str, jpeg: &[u8]) -> io::Result<String> {
        let dir = self.root.join("images");
        std::fs::create_dir_all(&dir)?;
        let name = (1..)
            .map(|n| format!("{prefix}-{n}.jpg"))
            .find(|name| !dir.join(name).exists())
            .expect("some number is free");
        write_whole(&dir.join(&name), jpeg)?;
        Ok(name)
    }

    /// The addresses of every article with a file in `articles/` or `drafts/`, each once.
    fn addresses(&self) -> io::Result<Vec<String>> {
        let mut slugs: Vec<String> = Vec::new();
        for folder in ["articles", "drafts"] {
            let entries = match std::fs::read_dir(self.root.join(folder)) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if let Some(slug) = name.strip_suffix(".md").filter(|s| is_slug(s))
                    && !slugs.iter().any(|s| s == slug)
                {
                    slugs.push(slug.to_owned());
                }
            }
        }
        Ok(slugs)
    }

    /// Every category an article (published or not) is filed under, alphabetically.
    pub(crate) fn categories(&self) -> io::Result<Vec<String>> {
        let mut categories = Vec::new();
        for slug in self.addresses()? {
            for text in [self.live(&slug)?, self.draft(&slug)?.map(|(text, _)| text)]
                .into_iter()
                .flatten()
            {
                if let Ok((fm, _)) = front_matter::parse(&text) {
                    categories.push(fm.category);
                }
            }
        }
        categories.sort();
        categories.dedup();
        Ok(categories)
    }

    /// Every article, published or not: changes not on the site first (latest first), then
    /// scheduled ones (soonest first), then the rest (newest first).
    pub(crate) fn list(&self, today: Date) -> io::Result<Vec<Listed>> {
        let slugs = self.addresses()?;
        let mut listed = Vec::new();
        for slug in slugs {
            let live = self.live(&slug)?;
            let draft = self.draft(&slug)?;
            let shown = draft.as_ref().map(|(t, _)| t.as_str()).or(live.as_deref());
            // Her latest title (the draft's); the date the site goes by (the live file's).
            let parsed = |text: Option<&str>| text.map(front_matter::parse).and_then(Result::ok);
            let title = parsed(shown).map_or_else(|| slug.clone(), |(fm, _)| fm.title);
            let date = parsed(live.as_deref())
                .or_else(|| parsed(shown))
                .map(|(fm, _)| fm.date)
                .unwrap_or_default();
            // A file whose front matter cannot be read is on no page: as a draft.
            let live = live.map(|text| match front_matter::parse(&text) {
                Ok((fm, _)) => Standing::of(fm.draft, &fm.date, today),
                Err(_) => Standing::Draft,
            });
            listed.push(Listed {
                slug,
                title,
                date,
                live,
                draft_saved: draft.map(|(_, saved)| saved),
            });
        }
        let rank = |l: &Listed| match (l.draft_saved, l.live) {
            (Some(_), _) | (None, None) => 0,
            (None, Some(Standing::Scheduled)) => 1,
            _ => 2,
        };
        listed.sort_by(|a, b| {
            rank(a).cmp(&rank(b)).then_with(|| match rank(a) {
                0 => b.draft_saved.cmp(&a.draft_saved),
                1 => a.date.cmp(&b.date),
                _ => b.date.cmp(&a.date),
            })
        });
        Ok(listed)
    }
}

/// `20261204T181336Z`, or with `-2`, `-3`... for a second version in the same second.
/// A kept version's name: the UTC time it was kept (`20261204T181336Z`), `-draft` when it is
/// a draft that was replaced (not a published file), and `-<n>` when several were kept in
/// the same second.
fn parse_version(name: &str) -> Option<(&str, bool, u32)> {
    let (stamp, rest) = name.split_at_checked(16)?;
    let stamp_ok = stamp.bytes().enumerate().all(|(i, b)| match i {
        8 => b == b'T',
        15 => b == b'Z',
        _ => b.is_ascii_digit(),
    });
    let (draft, rest) = match rest.strip_prefix("-draft") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let n = match rest.strip_prefix('-') {
        None if rest.is_empty() => 1,
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok()?,
        _ => return None,
    };
    stamp_ok.then_some((stamp, draft, n))
}

fn is_version_name(name: &str) -> bool {
    parse_version(name).is_some()
}

/// Whether a kept version is a draft she had (kept when another version replaced it).
pub(crate) fn is_kept_draft(name: &str) -> bool {
    parse_version(name).is_some_and(|(_, draft, _)| draft)
}

fn version_order(name: &str) -> (String, u32) {
    let (stamp, _, n) = parse_version(name).unwrap_or((name, false, 0));
    (stamp.to_owned(), n)
}

fn read_if_there(path: &Path) -> io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` under a temporary name beside `path`, on the disk, then renames it into
/// place: readers see the old file or the new one, never part of one.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(
        ".{}.{}-{}.partial",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    write_file(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, date: &str) -> String {
        format!(
            "---\ntitle: {title}\nsummary: S.\ndate: {date}\ncategory: C\ntags: a\n---\nBody.\n"
        )
    }

    #[test]
    fn a_draft_replaced_by_a_kept_version_is_kept_too_and_a_newer_draft_outlives_a_publish() {
        let dir = tempfile::tempdir().unwrap();
        let folder = ContentFolder::new(dir.path());
        folder
            .save_draft("x", &article("Mine", "2026-01-01"))
            .unwrap();
        folder.keep_draft("x", 300).unwrap();
        assert_eq!(folder.history("x").unwrap(), ["19700101T000500Z-draft"]);
        assert!(is_kept_draft("19700101T000500Z-draft"));
        assert!(!is_kept_draft("19700101T000500Z-2"));
        assert_eq!(
            folder
                .version("x", "19700101T000500Z-draft")
                .unwrap()
                .unwrap(),
            article("Mine", "2026-01-01")
        );
        // Published "Mine" while "Newer" was saved from another tab: "Newer" stays.
        folder
            .save_draft("x", &article("Newer", "2026-01-01"))
            .unwrap();
        folder
            .remove_draft_if("x", &article("Mine", "2026-01-01"))
            .unwrap();
        assert_eq!(
            folder.draft("x").unwrap().unwrap().0,
            article("Newer", "2026-01-01")
        );
        folder
            .remove_draft_if("x", &article("Newer", "2026-01-01"))
            .unwrap();
        assert!(folder.draft("x").unwrap().is_none());
        for bad in [
            "19700101T000500Z-",
            "19700101T000500Z-draft-",
            "19700101T000500Z-drafty",
            "x",
        ] {
            assert!(!is_version_name(bad), "{bad}");
        }
        assert!(is_version_name("19700101T000500Z-draft-3"));
    }

    #[test]
    fn a_publish_cut_short_is_put_back_at_the_next_start_and_her_text_is_her_draft() {
        let dir = tempfile::tempdir().unwrap();
        let folder = ContentFolder::new(dir.path());
        folder
            .replace_live("x", &article("One", "2026-01-01"), 1)
            .unwrap();
        folder.settled().unwrap();
        assert_eq!(folder.recover().unwrap(), None, "nothing under way");
        // The receiver stops after writing "Two", before the build said yes or no.
        folder
            .replace_live("x", &article("Two", "2026-01-01"), 2)
            .unwrap();
        assert_eq!(folder.recover().unwrap().as_deref(), Some("x"));
        assert_eq!(
            folder.live("x").unwrap().unwrap(),
            article("One", "2026-01-01")
        );
        assert_eq!(
            folder.draft("x").unwrap().unwrap().0,
            article("Two", "2026-01-01")
        );
        assert_eq!(folder.recover().unwrap(), None, "once");
        // A first publish cut short: no published file is left behind.
        folder
            .replace_live("new-one", &article("New", "2026-01-01"), 3)
            .unwrap();
        folder.recover().unwrap();
        assert!(folder.live("new-one").unwrap().is_none());
        assert!(folder.draft("new-one").unwrap().is_some());
    }

    #[test]
    fn a_replaced_file_is_kept_in_the_history_and_put_back_when_the_publish_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = ContentFolder::new(dir.path());
        let first = folder
            .replace_live("x", &article("One", "2026-01-01"), 100)
            .unwrap();
        assert!(first.previous.is_none() && first.kept.is_none());
        folder
            .replace_live("x", &article("Two", "2026-01-01"), 200)
            .unwrap();
        let third = folder
            .replace_live("x", &article("Three", "2026-01-01"), 200)
            .unwrap();
        assert_eq!(
            folder.history("x").unwrap(),
            ["19700101T000320Z-2", "19700101T000320Z"]
        );
        assert_eq!(
            folder.version("x", "19700101T000320Z").unwrap().unwrap(),
            article("One", "2026-01-01")
        );
        folder.put_back(third).unwrap();
        assert_eq!(
            folder.live("x").unwrap().unwrap(),
            article("Two", "2026-01-01")
        );
        assert_eq!(folder.history("x").unwrap(), ["19700101T000320Z"]);
        assert_eq!(folder.version("x", "../../articles/x").unwrap(), None);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("articles"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["x.md"]);
    }

    #[test]
    fn the_list_shows_unpublished_work_first_then_scheduled_then_published() {
        let dir = tempfile::tempdir().unwrap();
        let folder = ContentFolder::new(dir.path());
        folder
            .replace_live("old", &article("Old", "2026-01-01"), 1)
            .unwrap();
        folder
            .replace_live("newer", &article("Newer", "2026-03-01"), 1)
            .unwrap();
        folder
            .replace_live("soon", &article("Soon", "2026-12-24"), 1)
            .unwrap();
        folder
            .save_draft("idea", &article("Idea", "2026-12-04"))
            .unwrap();
        folder
            .save_draft("old", &article("Old, revised", "2026-01-01"))
            .unwrap();
        let today = Date::new(2026, 12, 4).unwrap();
        let listed = folder.list(today).unwrap();
        let shown: Vec<(&str, &str, Option<Standing>, bool)> = listed
            .iter()
            .map(|l| {
                (
                    l.slug.as_str(),
                    l.title.as_str(),
                    l.live,
                    l.draft_saved.is_some(),
                )
            })
            .collect();
        assert_eq!(shown.len(), 4);
        assert!(
            shown[..2].contains(&("idea", "Idea", None, true)),
            "{shown:?}"
        );
        assert!(
            shown[..2].contains(&("old", "Old, revised", Some(Standing::Published), true)),
            "{shown:?}"
        );
        assert_eq!(
            shown[2..],
            [
                ("soon", "Soon", Some(Standing::Scheduled), false),
                ("newer", "Newer", Some(Standing::Published), false),
            ]
        );
        // Saving what the site has already is no change: the draft goes.
        folder
            .save_draft("newer", &article("Newer", "2026-03-01"))
            .unwrap();
        assert!(folder.draft("newer").unwrap().is_none());
        assert!(folder.is_taken("idea") && folder.is_taken("soon") && !folder.is_taken("none"));
    }

    #[test]
    fn photos_get_the_first_free_number() {
        let dir = tempfile::tempdir().unwrap();
        let folder = ContentFolder::new(dir.path());
        assert_eq!(
            folder.add_photo("back-pain", b"one").unwrap(),
            "back-pain-1.jpg"
        );
        assert_eq!(
            folder.add_photo("back-pain", b"two").unwrap(),
            "back-pain-2.jpg"
        );
        assert_eq!(
            std::fs::read(dir.path().join("images/back-pain-2.jpg")).unwrap(),
            b"two"
        );
    }
}
