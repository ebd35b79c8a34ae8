//! The receiver sends the brotli or gzip file the build wrote beside each asset, to browsers
//! that accept it, and says that the answer varies with Accept-Encoding.

mod common;

use common::Server;

#[tokio::test]
async fn sends_the_precompressed_file_the_browser_accepts() {
    let site = tempfile::tempdir().unwrap();
    let file = |name: &str, bytes: &[u8]| std::fs::write(site.path().join(name), bytes).unwrap();
    file("index.html", b"<!doctype html><title>home</title>");
    let wasm = "app-0123456789abcdef_bg.wasm";
    file(wasm, &[0u8; 4096]);
    // Not real compressed data: the test proves which file was sent.
    file(&format!("{wasm}.br"), b"brotli bytes");
    file(&format!("{wasm}.gz"), b"gzip bytes");
    let db = site.path().join("bookings.sqlite");
    let server = Server::start(&[
        "--site",
        site.path().to_str().unwrap(),
        "--database",
        db.to_str().unwrap(),
    ])
    .await;
    let get = |accept: &'static str| {
        server
            .client
            .get(format!("{}/{wasm}", server.base))
            .header("accept-encoding", accept)
            .send()
    };

    for (accept, encoding, body) in [
        ("br", Some("br"), &b"brotli bytes"[..]),
        ("gzip, deflate, br", Some("br"), b"brotli bytes"),
        ("gzip", Some("gzip"), b"gzip bytes"),
        ("identity", None, &[0u8; 4096]),
    ] {
        let response = get(accept).await.unwrap();
        assert_eq!(response.status(), 200, "{accept}");
        let headers = response.headers().clone();
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(headers["content-type"], "application/wasm", "{accept}");
        assert!(
            headers
                .get_all("vary")
                .iter()
                .any(|v| v.to_str().unwrap().eq_ignore_ascii_case("accept-encoding")),
            "{accept}: {headers:?}"
        );
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{accept}"
        );
        assert_eq!(&response.bytes().await.unwrap()[..], body, "{accept}");
    }
}
