//! The receiver serving a built site over real HTTP on loopback.

mod common;

use common::Server;

fn write(site: &tempfile::TempDir, file: &str, text: &str) {
    let path = site.path().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn pages_are_files_the_result_gets_the_shell_and_unknown_addresses_a_404_page() {
    let site = tempfile::tempdir().unwrap();
    write(&site, "index.html", "<!doctype html><title>home</title>");
    write(&site, "shell.html", "<!doctype html><title>shell</title>");
    write(&site, "404.html", "<!doctype html><title>not found</title>");
    write(
        &site,
        "articles/back-pain/index.html",
        "<!doctype html><title>back pain</title>",
    );
    write(
        &site,
        "self-check/legs/index.html",
        "<!doctype html><title>legs</title>",
    );
    write(&site, "app-0123456789abcdef.js", "console.log(1)");
    let db = site.path().join("bookings.sqlite");
    let server = Server::start(&[
        "--site",
        site.path().to_str().unwrap(),
        "--database",
        db.to_str().unwrap(),
    ])
    .await;

    // A prerendered page, with and without the trailing slash, and with a query: no redirect.
    for path in [
        "/articles/back-pain",
        "/articles/back-pain/",
        "/articles/back-pain?x=1",
    ] {
        let page = server.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache");
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("<title>back pain</title>"),
            "{path}"
        );
    }

    // Self-check steps are prerendered files; their result is the app's alone (the shell);
    // a step that does not exist is an unknown page.
    let step = server.get("/self-check/legs").await;
    assert_eq!(step.status(), 200);
    assert!(step.text().await.unwrap().contains("<title>legs</title>"));
    let result = server.get("/self-check/result").await;
    assert_eq!(result.status(), 200);
    assert!(
        result
            .text()
            .await
            .unwrap()
            .contains("<title>shell</title>")
    );

    for path in [
        "/articles/no-such-article",
        "/no-such-page",
        "/self-check/bogus",
        "/self-check/3/4",
    ] {
        let unknown = server.get(path).await;
        assert_eq!(unknown.status(), 404, "{path}");
        assert!(
            unknown
                .text()
                .await
                .unwrap()
                .contains("<title>not found</title>"),
            "{path}"
        );
    }

    let asset = server.get("/app-0123456789abcdef.js").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["content-type"], "text/javascript");
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.headers()["x-content-type-options"], "nosniff");

    let missing = server.get("/missing.js").await;
    assert_eq!(missing.status(), 404);
    assert!(!missing.text().await.unwrap().contains("<title>"));
}

#[tokio::test]
async fn refuses_to_start_without_a_built_site() {
    let empty = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--site",
            empty.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("build the site first"));
}

/// Without TCP_NODELAY each keep-alive request stalled ~44 ms: the response's body waited
/// for the client's delayed ACK of its headers (Nagle). Of forty requests in a row on one
/// connection, about half stalled then; with it, none does (a busy machine may delay a few,
/// so the test counts the slow ones rather than timing the whole run).
#[tokio::test]
async fn keep_alive_requests_are_answered_without_a_stall() {
    let site = tempfile::tempdir().unwrap();
    write(&site, "index.html", "<!doctype html><title>home</title>");
    write(&site, "robots.txt", "User-agent: *\nAllow: /\n");
    let db = site.path().join("bookings.sqlite");
    let server = Server::start(&[
        "--site",
        site.path().to_str().unwrap(),
        "--database",
        db.to_str().unwrap(),
    ])
    .await;
    // The first request opens the connection the others reuse.
    assert_eq!(server.get("/robots.txt").await.status(), 200);
    let mut slow = Vec::new();
    for _ in 0..40 {
        let started = std::time::Instant::now();
        let answer = server.get("/robots.txt").await;
        assert_eq!(answer.status(), 200);
        answer.bytes().await.unwrap();
        let took = started.elapsed();
        if took >= std::time::Duration::from_millis(35) {
            slow.push(took);
        }
    }
    assert!(
        slow.len() < 10,
        "{} of 40 took 35 ms or more: {slow:?}",
        slow.len()
    );
}

/// The site is answered from memory, and a new one swapped in (as `make content` and the
/// inbox's editor publish: one rename) is served from the next request on, its policy with
/// it.
#[tokio::test]
async fn a_site_swapped_in_is_served_at_once_with_its_own_policy() {
    let root = tempfile::tempdir().unwrap();
    let site = root.path().join("dist");
    let page = |dir: &std::path::Path, title: &str, script: &str| {
        std::fs::create_dir_all(dir.join("articles/new")).unwrap();
        std::fs::write(
            dir.join("index.html"),
            format!("<!doctype html><title>{title}</title><script>{script}</script>"),
        )
        .unwrap();
        std::fs::write(
            dir.join("articles/new/index.html"),
            format!("<title>{title} article</title>"),
        )
        .unwrap();
    };
    page(&site, "old", "one()");
    let db = root.path().join("bookings.sqlite");
    let server = Server::start(&[
        "--site",
        site.to_str().unwrap(),
        "--database",
        db.to_str().unwrap(),
    ])
    .await;
    let home = server.get("/").await;
    let old_policy = home.headers()["content-security-policy"].clone();
    assert!(home.text().await.unwrap().contains("<title>old</title>"));

    let next = root.path().join("next");
    page(&next, "new", "two()");
    std::fs::rename(&site, root.path().join("previous")).unwrap();
    std::fs::rename(&next, &site).unwrap();
    let home = server.get("/").await;
    assert_ne!(home.headers()["content-security-policy"], old_policy);
    assert!(home.text().await.unwrap().contains("<title>new</title>"));
    let article = server.get("/articles/new").await.text().await.unwrap();
    assert!(article.contains("<title>new article</title>"), "{article}");
}
