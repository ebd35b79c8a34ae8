//! The booking form as a plain HTML form post (JavaScript off, or sent before the app ran),
//! over HTTP against the real receiver serving a small site.

mod common;

use common::{Server, database, noon_in, stored_requests};

const BOOK_PAGE: &str = r#"<!DOCTYPE html><html lang="en-GB"><head><title>Request a booking</title>
<script type="module" data-app-js="/app.js">start()</script></head><body><main><h1>Request a booking</h1>
<form class="booking-form" method="post" action="/api/booking-requests">
<label for="service_id">Treatment</label><select id="service_id" name="service_id"><option value="deep-tissue">Deep tissue</option></select>
<label for="minutes">Length</label><select id="minutes" name="minutes"><option value="60">60</option></select>
<label for="postcode">Postcode</label><input id="postcode" name="postcode">
<label for="name">Name</label><input id="name" name="name">
</form></main></body></html>"#;

/// A receiver serving a site with a booking page and a 404 page.
async fn server(dir: &tempfile::TempDir) -> Server {
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("book")).unwrap();
    std::fs::write(site.join("book/index.html"), BOOK_PAGE).unwrap();
    std::fs::write(site.join("404.html"), "<h1>Page not found</h1>").unwrap();
    std::fs::write(site.join("index.html"), "<h1>Home</h1>").unwrap();
    let db = database(dir);
    Server::start(&[
        "--site",
        site.to_str().unwrap(),
        "--database",
        db.to_str().unwrap(),
    ])
    .await
}

fn fields(name: &str, postcode: &str, location: &str) -> Vec<(&'static str, String)> {
    let (date, time) = {
        let t = noon_in(7);
        let (d, t) = t.split_once('T').unwrap();
        (d.to_owned(), t.to_owned())
    };
    vec![
        ("service_id", "deep-tissue".into()),
        ("minutes", "60".into()),
        ("location", location.into()),
        ("address", "Flat 2, 10 Long Road".into()),
        ("postcode", postcode.into()),
        ("date", date),
        ("time", time),
        ("name", name.into()),
        ("email", "sam@example.com".into()),
        ("website", String::new()),
    ]
}

/// Posts as a browser posts a form, without following the redirect.
async fn post_form(server: &Server, fields: &[(&str, String)]) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/api/booking-requests", server.base))
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_plain_form_post_is_stored_once_and_redirected_to_its_reference() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir).await;
    let first = post_form(&server, &fields("Sam Client", "E8 1AA", "outcall")).await;
    assert_eq!(first.status(), 303);
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/book/sent/AM-"), "{location}");

    // Sent again (a double tap, or back and send): the same request, the same reference.
    let again = post_form(&server, &fields("Sam Client", "E8 1AA", "outcall")).await;
    assert_eq!(again.status(), 303);
    assert_eq!(again.headers()["location"].to_str().unwrap(), location);
    let stored = stored_requests(&database(&dir));
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["request"]["postcode"], "E8 1AA");

    let page = server.get(&location).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    let reference = location.trim_start_matches("/book/sent/");
    assert!(html.contains(reference), "{html}");
    assert!(html.contains("Your request has been sent"));
    assert!(
        !html.contains("data-app-js"),
        "the app must not take the page over"
    );
    server.stop();
}

#[tokio::test]
async fn a_wrong_postcode_comes_back_next_to_its_field_with_everything_typed() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir).await;
    let answer = post_form(
        &server,
        &fields(r#"Sam" autofocus onfocus="alert(1)"#, "NOWHERE", "outcall"),
    )
    .await;
    assert_eq!(answer.status(), 422);
    let html = answer.text().await.unwrap();
    let label = html.find(r#"<label for="postcode">"#).unwrap();
    let field = html.find(r#"id="postcode""#).unwrap();
    let message = &html[label..field];
    assert!(message.contains("field-error"), "{message}");
    assert!(html.contains(r#"value="NOWHERE""#));
    // Typed text stays text: its quote cannot end the attribute.
    assert!(!html.contains(r#"onfocus="alert"#), "{html}");
    assert!(html.contains("Sam&quot; autofocus"), "{html}");
    assert!(stored_requests(&database(&dir)).is_empty());
    server.stop();
}

#[tokio::test]
async fn a_confirmation_exists_only_for_a_stored_request() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir).await;
    let page = server.get("/book/sent/AM-AAAA-BBBB").await;
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("Page not found"));
    server.stop();
}
