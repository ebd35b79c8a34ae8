//! The receiver serving a built site over real HTTP on loopback.

mod common;

use common::Server;

#[tokio::test]
async fn deep_links_get_the_app_shell_and_missing_files_a_404() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><title>shell</title>",
    )
    .unwrap();
    std::fs::write(
        site.path().join("app-0123456789abcdef.js"),
        "console.log(1)",
    )
    .unwrap();
    let db = site.path().join("bookings.sqlite");
    let server = Server::start(&[
        "--site",
        site.path().to_str().unwrap(),
        "--database",
        db.to_str().unwrap(),
    ])
    .await;

    let deep = server.get("/articles/some-slug").await;
    assert_eq!(deep.status(), 200);
    assert_eq!(deep.headers()["cache-control"], "no-cache");
    let csp = deep.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(deep.text().await.unwrap().contains("<title>shell</title>"));

    let asset = server.get("/app-0123456789abcdef.js").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["content-type"], "text/javascript");
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.headers()["x-content-type-options"], "nosniff");

    assert_eq!(server.get("/missing.js").await.status(), 404);
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
