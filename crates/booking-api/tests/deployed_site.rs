//! The receiver as deployed (`--site-build`): the live site is kept across restarts, a new
//! build goes live only with her articles published onto it, and an automatic publish that
//! fails leaves her site as it was and is told: the inbox's Articles page, /healthz and one
//! e-mail. Over real HTTP, with the real content steps and a stand-in prerenderer.

mod common;

use common::inbox::{Browser, readable, set_password};
use common::{Server, copy_dir, database, smtp};
use std::path::{Path, PathBuf};

const PASSWORD: &str = "a long test password";
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Her article, not in the repository's content.
const HERS: &str = "---\ntitle: Stretches for the morning\nsummary: Five minutes of gentle stretching that makes a day at the desk easier on the back.\ndate: 2026-01-05\ncategory: Self-care\ntags: stretching\n---\nStretch gently, breathe out, and hold it for a slow count of ten. Then let go slowly and rest for a moment before the next one. Reach up, then fold forward from the hips, letting the head hang. Roll the shoulders back five times, then forward five times. Turn gently to each side while seated, keeping both feet flat on the floor.\n";

/// A file the build cannot read: no front matter.
const BROKEN: &str = "Just some text, with no title or date.\n";

struct Deployed {
    dir: tempfile::TempDir,
    /// The deployed build (`dist/`), her content folder, and the live site.
    build: PathBuf,
    content: PathBuf,
    site: PathBuf,
    db: PathBuf,
    prerender: PathBuf,
}

/// A build as Trunk leaves it (stand-ins for its page shell, icon and app), her content
/// folder (the repository's, with an article of hers and a photo), and no live site yet.
fn deployed() -> Deployed {
    let dir = tempfile::tempdir().unwrap();
    let (build, content, site) = (
        dir.path().join("dist"),
        dir.path().join("content"),
        dir.path().join("site"),
    );
    copy_dir(&Path::new(ROOT).join("content"), &content);
    std::fs::write(content.join("articles/morning-stretches.md"), HERS).unwrap();
    std::fs::create_dir_all(content.join("images")).unwrap();
    std::fs::write(content.join("images/garden.jpg"), photo()).unwrap();
    std::fs::create_dir_all(&build).unwrap();
    let shell =
        "<!doctype html><html lang=\"en-GB\"><head><title>Shell</title></head><body></body></html>";
    for page in ["shell.html", "index.html", "offline.html"] {
        std::fs::write(build.join(page), shell).unwrap();
    }
    std::fs::copy(
        Path::new(ROOT).join("public/favicon.svg"),
        build.join("favicon-0123456789abcdef.svg"),
    )
    .unwrap();
    std::fs::write(build.join("app-0123456789abcdef_bg.wasm"), "wasm").unwrap();
    let prerender = dir.path().join("prerender");
    std::fs::write(&prerender, "#!/bin/sh\nexit 0\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&prerender, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = database(&dir);
    assert!(set_password(&db, PASSWORD).status.success());
    Deployed {
        dir,
        build,
        content,
        site,
        db,
        prerender,
    }
}

fn photo() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&picture)
        .unwrap();
    jpeg
}

impl Deployed {
    /// Starts the receiver as booking-api.service does, e-mailing `mail`'s server.
    async fn start(&self, mail: u16) -> Server {
        let path = |p: &Path| p.to_str().unwrap().to_owned();
        let args = [
            "--database".to_owned(),
            path(&self.db),
            "--site".into(),
            path(&self.site),
            "--site-build".into(),
            path(&self.build),
            "--content".into(),
            path(&self.content),
            "--prerender".into(),
            path(&self.prerender),
        ];
        Server::start_with_env(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            &smtp::env(mail),
        )
        .await
    }

    /// A new version deployed: the build changed.
    fn upgrade(&self, version: &str) {
        std::fs::write(self.build.join(format!("app-{version}.js")), version).unwrap();
    }

    fn break_an_article(&self) {
        std::fs::write(self.content.join("articles/broken.md"), BROKEN).unwrap();
    }
}

async fn text(server: &Server, path: &str) -> (u16, String) {
    let response = server.get(path).await;
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

async fn health(server: &Server) -> (u16, serde_json::Value) {
    let response = server.get("/healthz").await;
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn articles_page(server: &Server) -> String {
    let mut browser = Browser::new(server);
    let (status, _, _) = browser.sign_in("/inbox/articles", PASSWORD).await;
    assert_eq!(status, 303);
    browser.get("/inbox/articles").await.2
}

#[tokio::test]
async fn a_restart_keeps_her_site_and_a_refused_new_build_leaves_it_as_it_was_and_says_so() {
    let (mail, messages) = smtp::start().await;
    let d = deployed();
    let first = d.start(mail).await;
    let (status, library) = text(&first, "/content/library.json").await;
    assert_eq!(status, 200, "{}", first.log());
    assert!(library.contains("morning-stretches"), "{library}");
    let first_log = first.log();
    assert!(first_log.contains("(6 files encoded)"), "{first_log}");
    assert_eq!(health(&first).await.0, 200);
    first.stop();

    // A restart with nothing new publishes nothing.
    let again = d.start(mail).await;
    assert!(!again.log().contains(" published"), "{}", again.log());
    assert_eq!(text(&again, "/content/library.json").await.1, library);
    again.stop();

    // A new version deployed, and an article of hers the build refuses.
    d.upgrade("v2");
    d.break_an_article();
    let second = d.start(mail).await;
    assert_eq!(
        text(&second, "/content/library.json").await,
        (200, library.clone()),
        "her published articles are still served"
    );
    assert_eq!(
        text(&second, "/content/articles/morning-stretches.md")
            .await
            .0,
        200
    );
    assert_eq!(
        text(&second, "/app-v2.js").await.0,
        404,
        "the new build is not live without her articles"
    );
    let (status, body) = health(&second).await;
    assert_eq!(status, 503, "{body}");
    assert!(body["publishing"]["last_failure_at"].is_string(), "{body}");
    let problems = body["problems"].to_string();
    assert!(problems.contains("publishing her articles"), "{problems}");
    assert!(
        !problems.contains("broken.md"),
        "public: no detail: {problems}"
    );
    let page = articles_page(&second).await;
    assert!(
        page.contains("role=\"alert\"") && page.contains("The site could not be updated"),
        "{page}"
    );
    assert!(page.contains("articles/broken.md"), "{page}");
    assert!(
        !page.contains(d.dir.path().to_str().unwrap()),
        "no server paths: {page}"
    );
    smtp::wait_for(&messages, 1).await;
    let told = readable(&messages.lock().unwrap()[0]);
    assert!(
        told.contains("Subject: Booking site: the site could not be updated")
            && told.contains("tried to publish your articles and could not")
            && told.contains("articles/broken.md"),
        "{told}"
    );
    assert!(!told.contains(d.dir.path().to_str().unwrap()), "{told}");
    // The hourly catch-up would fail the same way: told once, not every hour or restart.
    second.stop();
    let third = d.start(mail).await;
    assert_eq!(health(&third).await.0, 503);
    third.stop();

    // Fixed: the next start brings the new build live, with her articles, and her photo's
    // published files linked, not encoded again.
    std::fs::remove_file(d.content.join("articles/broken.md")).unwrap();
    let fixed = d.start(mail).await;
    assert_eq!(text(&fixed, "/app-v2.js").await, (200, "v2".into()));
    assert_eq!(text(&fixed, "/content/library.json").await.1, library);
    let log = fixed.log();
    assert!(log.contains("(0 files encoded)"), "{log}");
    assert_eq!(health(&fixed).await.0, 200);
    assert!(!articles_page(&fixed).await.contains("role=\"alert\""));
    assert_eq!(
        messages.lock().unwrap().len(),
        1,
        "one e-mail for one failure"
    );
}

#[tokio::test]
async fn a_first_start_with_her_content_refused_serves_the_build_and_says_so() {
    let (mail, messages) = smtp::start().await;
    let d = deployed();
    d.break_an_article();
    // What a killed publish left beside the site.
    let leftover = d.site.with_file_name(".site.publishing-4000000");
    std::fs::create_dir_all(leftover.join("images")).unwrap();
    let server = d.start(mail).await;
    assert!(!leftover.exists(), "a stopped publish's copy is removed");
    assert_eq!(
        text(&server, "/app-0123456789abcdef_bg.wasm").await,
        (200, "wasm".into()),
        "the build is served"
    );
    assert_eq!(text(&server, "/content/library.json").await.0, 404);
    assert_eq!(health(&server).await.0, 503);
    assert!(articles_page(&server).await.contains("articles/broken.md"));
    smtp::wait_for(&messages, 1).await;
    server.stop();

    std::fs::remove_file(d.content.join("articles/broken.md")).unwrap();
    let fixed = d.start(mail).await;
    let (status, library) = text(&fixed, "/content/library.json").await;
    assert_eq!(status, 200);
    assert!(library.contains("morning-stretches"), "{library}");
    assert_eq!(health(&fixed).await.0, 200);
}
