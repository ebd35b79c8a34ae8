//! The article editor in the inbox over real HTTP, on a copy of the real content and a small
//! built site: signing in and the CSRF check, drafts, the preview, photos, publishing (the
//! real content steps; a stand-in prerenderer), the build's messages next to each field,
//! history, a refused publish that leaves the site as it was, and hostile text treated
//! exactly as in a hostile file.

mod common;

use common::inbox::{Browser, hidden, location, set_password};
use common::{Server, copy_dir, database};
use massage_core::articles::library::Library;
use massage_core::articles::photos::Photos;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};

const PASSWORD: &str = "a long test password";
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A receiver with the editor on, its content folder and its site.
struct Setup {
    _dir: tempfile::TempDir,
    content: PathBuf,
    site: PathBuf,
    server: Server,
    /// The receiver's arguments, to start another on the same folders.
    args: Vec<String>,
}

/// A site as Trunk leaves it (its page shell, icon and app as stand-ins), already published
/// once from the content; a prerenderer that renders nothing, and refuses an article titled
/// "Prerender refuses" (a publish that fails after the checks passed).
async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let (content, site) = (dir.path().join("content"), dir.path().join("site"));
    copy_dir(&Path::new(ROOT).join("content"), &content);
    std::fs::create_dir_all(&site).unwrap();
    let shell =
        "<!doctype html><html lang=\"en-GB\"><head><title>Shell</title></head><body></body></html>";
    std::fs::write(site.join("shell.html"), shell).unwrap();
    std::fs::write(site.join("index.html"), shell).unwrap();
    std::fs::write(site.join("offline.html"), shell).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("public/favicon.svg"),
        site.join("favicon-0123456789abcdef.svg"),
    )
    .unwrap();
    std::fs::write(site.join("app-0123456789abcdef_bg.wasm"), "wasm").unwrap();
    let prerender = dir.path().join("prerender");
    std::fs::write(
        &prerender,
        "#!/bin/sh\nif grep -q 'Prerender refuses' \"$1/content/library.json\"; then\n  \
         echo 'prerender: cannot render the page' >&2\n  exit 1\nfi\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&prerender, std::fs::Permissions::from_mode(0o755)).unwrap();
    site_build::publish::publish(&content, &site, &prerender).unwrap();
    let db = database(&dir);
    assert!(set_password(&db, PASSWORD).status.success());
    let args: Vec<String> = [
        "--database",
        db.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
        "--prerender",
        prerender.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec();
    let server = Server::start(&args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    Setup {
        _dir: dir,
        content,
        site,
        server,
        args,
    }
}

impl Setup {
    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.site.join(path)).unwrap_or_default()
    }

    fn content_file(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.content.join(path)).ok()
    }
}

async fn signed_in(server: &Server) -> Browser<'_> {
    let mut browser = Browser::new(server);
    let (status, _, _) = browser.sign_in("/inbox/articles", PASSWORD).await;
    assert_eq!(status, 303);
    browser
}

/// An article's fields, as the form sends them.
fn fields<'a>(title: &'a str, body: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("title", title),
        (
            "summary",
            "How a few minutes of stretching between sessions keeps the back easy.",
        ),
        ("category", "Self-care"),
        ("new_category", ""),
        ("tags", "back pain, stretching"),
        ("date", "2026-01-05"),
        ("updated", ""),
        ("body", body),
    ]
}

/// An article's fields as the editor shows them (from its file), with `body` as the text.
fn fields_of<'a>(
    form: &'a massage_core::articles::article_form::ArticleForm,
    body: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("title", form.title.as_str()),
        ("summary", form.summary.as_str()),
        ("category", form.category.as_str()),
        ("new_category", ""),
        ("tags", form.tags.as_str()),
        ("date", form.date.as_str()),
        ("updated", form.updated.as_str()),
        ("body", body),
    ]
}

fn words(n: usize) -> String {
    "Stretch gently, breathe out, and hold it for a slow count of ten. ".repeat(n / 14 + 1)
}

/// Posts the editor's form with its CSRF token (from `page`) and the button `action`.
async fn send(
    browser: &mut Browser<'_>,
    path: &str,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    photo: Option<(&str, &str, Vec<u8>)>,
) -> (StatusCode, String, String) {
    let csrf = hidden(page, "csrf");
    let mut all = vec![("csrf", csrf.as_str()), ("action", action)];
    all.extend_from_slice(fields);
    let (status, headers, body) = browser.post_multipart(path, &all, photo).await;
    let to = if status == 303 {
        location(&headers).to_owned()
    } else {
        String::new()
    };
    (status, to, body)
}

/// A JPEG from a phone: a comment in it says where it was taken.
fn phone_photo() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 140])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&picture)
        .unwrap();
    let comment = b"GPS 51.5072N 0.1276W";
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, 0xfe, 0, comment.len() as u8 + 2]);
    out.extend(comment);
    out.extend(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn she_writes_previews_adds_a_photo_and_publishes_and_the_site_shows_it() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (status, _, new_page) = browser.get("/inbox/articles/new").await;
    assert_eq!(status, 200, "{new_page}");
    assert!(new_page.contains("enctype=\"multipart/form-data\""));
    let body = format!("## Why it helps {{#why}}\n\n{}", words(80));
    let (status, to, page) = send(
        &mut browser,
        "/inbox/articles/new",
        &new_page,
        "draft",
        &fields("Stretching between sessions", &body),
        None,
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/inbox/articles/stretching-between-sessions?done=saved"
        ),
        "{page}"
    );
    let draft = s
        .content_file("drafts/stretching-between-sessions.md")
        .unwrap();
    assert!(
        draft.starts_with("---\ntitle: \"Stretching between sessions\"\n"),
        "{draft}"
    );
    assert!(
        s.content_file("articles/stretching-between-sessions.md")
            .is_none()
    );
    assert!(
        !s.read("content/library.json")
            .contains("stretching-between-sessions")
    );
    let (_, _, edit) = browser.get(&to).await;
    assert!(
        edit.contains("Saved as a draft: not on the site until you publish it."),
        "{edit}"
    );

    // A photo, with what it shows: kept upright without its comment, added to the text, and
    // its files are in the site for the preview.
    let here = "/inbox/articles/stretching-between-sessions";
    let mut with_alt = fields("Stretching between sessions", &body);
    with_alt.push(("photo_alt", "A therapist stretching a client's [shoulder]"));
    let (status, to, page) = send(
        &mut browser,
        here,
        &edit,
        "preview",
        &with_alt,
        Some(("photo", "IMG_2041.JPG", phone_photo())),
    )
    .await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(to, format!("{here}?preview=1&done=saved#page_preview"));
    let kept = std::fs::read(s.content.join("images/stretching-between-sessions-1.jpg")).unwrap();
    assert!(!contains(&kept, b"GPS 51.5072N"));
    let draft = s
        .content_file("drafts/stretching-between-sessions.md")
        .unwrap();
    assert!(
        draft.ends_with("![A therapist stretching a client's \\[shoulder\\]](/images/stretching-between-sessions-1.jpg)\n"),
        "{draft}"
    );
    let (_, _, preview) = browser.get(to.trim_end_matches("#page_preview")).await;
    assert!(
        preview.contains("<section class=\"preview\" id=\"page_preview\""),
        "{preview}"
    );
    assert!(
        preview.contains("<h2 id=\"why\">Why it helps</h2>"),
        "{preview}"
    );
    let src = preview
        .split("<img src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the photo in the preview")
        .to_owned();
    assert!(
        src.starts_with("/images/stretching-between-sessions-1-") && src.ends_with("-1200.jpg"),
        "{src}"
    );
    assert!(
        preview.contains("alt=\"A therapist stretching a client’s [shoulder]\""),
        "{preview}"
    );
    let published_photo = std::fs::read(s.site.join(src.trim_start_matches('/'))).unwrap();
    assert!(!contains(&published_photo, b"GPS") && !contains(&published_photo, b"Exif"));
    let served = s.server.get(&src).await;
    assert_eq!(served.status(), 200);
    assert!(
        served.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"),
        "a photo's files are named after it: cached for a year"
    );

    // Publish: live in the library, the feed, the sitemap and the search index.
    let draft_body = draft.split("\n---\n").nth(1).unwrap().to_owned();
    let (status, to, page) = send(
        &mut browser,
        here,
        &preview,
        "publish",
        &fields("Stretching between sessions", &draft_body),
        None,
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/inbox/articles/stretching-between-sessions?done=published"
        ),
        "{page}"
    );
    assert!(
        s.content_file("drafts/stretching-between-sessions.md")
            .is_none()
    );
    assert!(
        s.content_file("articles/stretching-between-sessions.md")
            .is_some()
    );
    let library = s.read("content/library.json");
    assert!(
        library.contains("\"slug\":\"stretching-between-sessions\""),
        "{library}"
    );
    assert!(
        library.contains(&format!("\"src\":\"{src}\"")),
        "the lead photo: {library}"
    );
    assert!(s.read("feed.xml").contains("Stretching between sessions"));
    assert!(
        s.read("sitemap.xml")
            .contains("/articles/stretching-between-sessions")
    );
    assert!(s.read("content/search.json").contains("Stretch gently"));
    let json = s
        .server
        .get("/content/articles/stretching-between-sessions.json")
        .await;
    assert_eq!(json.status(), 200, "served at once");
    let (_, _, edit) = browser.get(&to).await;
    assert!(edit.contains("Published: it is on the site now."), "{edit}");
    assert!(edit.contains("On the site since 5 January 2026"), "{edit}");
    let (_, _, list) = browser.get("/inbox/articles").await;
    assert!(
        list.contains("Stretching between sessions") && list.contains("On the site since"),
        "{list}"
    );
}

#[tokio::test]
async fn every_change_needs_the_session_its_csrf_token_and_this_origin() {
    let s = setup().await;
    let mut stranger = Browser::new(&s.server);
    let (status, headers, _) = stranger.get("/inbox/articles").await;
    assert_eq!(status, 303);
    assert_eq!(location(&headers), "/inbox/sign-in?next=/inbox/articles");
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let article = fields("Forged", &body);
    let mut without_token = vec![("action", "publish")];
    without_token.extend_from_slice(&article);
    let (status, _, _) = browser
        .post_multipart("/inbox/articles/new", &without_token, None)
        .await;
    assert_eq!(status, 403);
    browser.origin = "https://evil.example".into();
    let (status, _, _) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "publish",
        &article,
        None,
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        s.content_file("drafts/forged.md").is_none()
            && s.content_file("articles/forged.md").is_none()
    );
    // A plain form (not multipart) is refused too, never read as an article.
    browser.origin = s.server.base.clone();
    let csrf = hidden(&page, "csrf");
    let (status, _, _) = browser
        .post(
            "/inbox/articles/new",
            &[("csrf", &csrf), ("title", "Plain")],
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_builds_own_messages_are_shown_next_to_each_field_and_nothing_is_lost() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = "Too short, and a [broken link](/articles/back-pain#nowhere).";
    let article = vec![
        ("title", "Aftercare at home"),
        ("summary", ""),
        ("category", ""),
        ("new_category", ""),
        ("tags", "aftercare"),
        ("date", "2026-13-01"),
        ("updated", ""),
        ("body", body),
    ];
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "publish",
        &article,
        None,
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("Not published: fix what is marked below"),
        "{page}"
    );
    let error_of = |id: &str| {
        page.split(&format!("id=\"form_{id}-error\""))
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_else(|| panic!("no message for {id} in {page}"))
            .to_owned()
    };
    // The front matter stops at its first problem, as the build does.
    assert!(error_of("summary").contains("`summary` is empty"), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));
    // Nothing typed is lost: every value comes back, and the draft is kept.
    assert!(page.contains("value=\"Aftercare at home\"") && page.contains("value=\"2026-13-01\""));
    assert!(page.contains("Too short, and a [broken link](/articles/back-pain#nowhere)."));
    let draft = s.content_file("drafts/aftercare-at-home.md").unwrap();
    assert!(draft.contains("Too short"), "{draft}");
    assert!(s.content_file("articles/aftercare-at-home.md").is_none());
    // Fix those: the date and the body are next.
    let (_, _, edit) = browser.get("/inbox/articles/aftercare-at-home").await;
    let fixed = vec![
        ("title", "Aftercare at home"),
        ("summary", "What to do after a deep tissue session."),
        ("category", ""),
        ("new_category", "Aftercare"),
        ("tags", "aftercare"),
        ("date", "2026-13-01"),
        ("updated", ""),
        ("body", body),
    ];
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/aftercare-at-home",
        &edit,
        "publish",
        &fixed,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("`2026-13-01` is not a date like 2025-10-22"),
        "{page}"
    );
    let body_error = |page: &str| {
        page.split("id=\"form_body-error\"")
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_else(|| panic!("no message for the text in {page}"))
            .to_owned()
    };
    let mut dated = fixed.clone();
    dated[5] = ("date", "2026-11-01");
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/aftercare-at-home",
        &edit,
        "publish",
        &dated,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body_error(&page).contains("the article has fewer than 50 words"),
        "{page}"
    );
    let longer = format!("{body}\n\n{}", words(80));
    dated[7] = ("body", &longer);
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/aftercare-at-home",
        &edit,
        "publish",
        &dated,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body_error(&page).contains("Line 1: the link `/articles/back-pain#nowhere` leads to no section: back-pain has no heading with the id `nowhere`"),
        "{page}"
    );
    // The new category is kept, and offered from now on.
    assert!(
        page.contains("<option value=\"Aftercare\" selected>"),
        "{page}"
    );
}

#[tokio::test]
async fn photos_need_alt_text_and_must_be_photos_of_a_sensible_size() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let article = fields("Photos", &body);
    let (_, to, _) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "draft",
        &article,
        None,
    )
    .await;
    let (_, _, edit) = browser.get(&to).await;
    let here = "/inbox/articles/photos";
    // The message under the field it is about: the photo, or its description.
    let message_at = |id: &str, page: &str| {
        page.split(&format!("id=\"{id}-error\""))
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_else(|| panic!("no message at {id} in {page}"))
            .to_owned()
    };
    let refused = |page: &str| message_at("form_photo", page);
    let (status, _, page) = send(
        &mut browser,
        here,
        &edit,
        "draft",
        &article,
        Some(("photo", "x.jpg", phone_photo())),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        message_at("form_photo-alt", &page).contains("Say what the photo shows"),
        "{page}"
    );
    assert!(page.contains("<title>Error: "), "{page}");
    let mut with_alt = article.clone();
    with_alt.push(("photo_alt", "A leaflet"));
    let (status, _, page) = send(
        &mut browser,
        here,
        &edit,
        "draft",
        &with_alt,
        Some(("photo", "leaflet.jpg", b"%PDF-1.7 not a photo".to_vec())),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        refused(&page).contains("choose a JPEG, PNG or WebP photo"),
        "{page}"
    );
    assert!(
        page.contains("value=\"A leaflet\""),
        "the description is kept: {page}"
    );
    let huge = vec![0xffu8; 21 * 1024 * 1024];
    let (status, _, page) = send(
        &mut browser,
        here,
        &edit,
        "draft",
        &with_alt,
        Some(("photo", "huge.jpg", huge)),
    )
    .await;
    assert_eq!(status, 422);
    assert!(refused(&page).contains("larger than 20 MB"), "{page}");
    assert!(page.contains("Stretch gently"), "the text is kept: {page}");
    let kept = std::fs::read_dir(s.content.join("images")).unwrap().count();
    assert_eq!(kept, 0, "no photo was kept");
    assert!(!s.content_file("drafts/photos.md").unwrap().contains("!["));
}

#[tokio::test]
async fn saving_a_hand_written_article_unchanged_leaves_no_changes_to_publish() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let live = s
        .content_file("articles/first-massage-appointment.md")
        .unwrap();
    let (_, _, edit) = browser
        .get("/inbox/articles/first-massage-appointment")
        .await;
    let (form, _) = massage_core::articles::article_form::ArticleForm::from_file(&live);
    let as_shown = fields_of(&form, &form.body);
    // The form writes its file differently from her hand (quoted values), but says the same.
    assert_ne!(form.to_file(), live);
    let (status, to, _) = send(
        &mut browser,
        "/inbox/articles/first-massage-appointment",
        &edit,
        "draft",
        &as_shown,
        None,
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        s.content_file("drafts/first-massage-appointment.md")
            .is_none()
    );
    let (_, _, page) = browser.get(&to).await;
    assert!(
        page.contains("Saved: no changes from what is on the site."),
        "{page}"
    );
}

#[tokio::test]
async fn the_editors_own_address_is_refused_for_an_article() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "draft",
        &fields("New", &body),
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("id=\"form_address-error\""), "{page}");
    assert!(
        page.contains("the editor&#39;s own") || page.contains("the editor's own"),
        "{page}"
    );
    assert!(s.content_file("drafts/new.md").is_none());
    let (status, _, _) = browser
        .get(&format!("/inbox/articles/{}", "a".repeat(300)))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn each_published_version_is_kept_and_can_be_put_back() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let (_, to, _) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "publish",
        &fields("Versions", &body),
        None,
    )
    .await;
    assert_eq!(to, "/inbox/articles/versions?done=published");
    let (_, _, edit) = browser.get(&to).await;
    let (status, _, _) = send(
        &mut browser,
        "/inbox/articles/versions",
        &edit,
        "publish",
        &fields("Versions, revised", &body),
        None,
    )
    .await;
    assert_eq!(status, 303);
    assert!(s.read("content/library.json").contains("Versions, revised"));
    // Her work in progress, not published: putting an old version back must not lose it.
    let (status, _, _) = send(
        &mut browser,
        "/inbox/articles/versions",
        &edit,
        "draft",
        &fields("Versions, my unfinished draft", &body),
        None,
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, edit) = browser.get("/inbox/articles/versions").await;
    let link = edit
        .split("href=\"/inbox/articles/versions/versions/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a kept version")
        .to_owned();
    let (status, _, old) = browser
        .get(&format!("/inbox/articles/versions/versions/{link}"))
        .await;
    assert_eq!(status, 200);
    assert!(old.contains("title: &quot;Versions&quot;"), "{old}");
    let (status, to, _) = send(
        &mut browser,
        &format!("/inbox/articles/versions/versions/{link}"),
        &old,
        "",
        &[],
        None,
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/inbox/articles/versions?done=restored"
        )
    );
    let (_, _, edit) = browser.get(&to).await;
    assert!(
        edit.contains("value=\"Versions\""),
        "the old version is the draft: {edit}"
    );
    let draft_link = edit
        .split("href=\"/inbox/articles/versions/versions/")
        .find(|rest| rest.contains("Your draft as it was"))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("her replaced draft is listed: {edit}"))
        .to_owned();
    let (_, _, kept) = browser
        .get(&format!("/inbox/articles/versions/versions/{draft_link}"))
        .await;
    assert!(kept.contains("Versions, my unfinished draft"), "{kept}");
    assert!(edit.contains("that are not on the site yet"), "{edit}");
    assert!(
        s.read("content/library.json").contains("Versions, revised"),
        "the site is unchanged"
    );
    let (status, _, _) = browser
        .get("/inbox/articles/versions/versions/..%2F..%2Farticles%2Fback-pain")
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_publish_the_build_refuses_leaves_the_site_and_the_published_file_as_they_were() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let live = s.content_file("articles/back-pain.md").unwrap();
    let library = s.read("content/library.json");
    // The self-check links to the section #chronic: an edit that renames it is refused.
    let (_, _, edit) = browser.get("/inbox/articles/back-pain").await;
    let (form, _) = massage_core::articles::article_form::ArticleForm::from_file(&live);
    let body = form.body.replace("{#chronic}", "{#long-term}");
    let edited = fields_of(&form, &body);
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/back-pain",
        &edit,
        "publish",
        &edited,
        None,
    )
    .await;
    assert_eq!(status, 422, "{page}");
    let body_error = page
        .split("id=\"form_body-error\"")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    assert!(
        body_error.contains("self-check.toml:")
            && body_error.contains("links to /articles/back-pain#chronic, which does not exist"),
        "{body_error}"
    );
    assert_eq!(s.content_file("articles/back-pain.md").unwrap(), live);
    assert_eq!(s.read("content/library.json"), library);
    assert!(
        s.content_file("drafts/back-pain.md")
            .unwrap()
            .contains("{#long-term}"),
        "her change is kept"
    );

    // A publish that fails after every check passed (here, the prerenderer): the published
    // file is put back, no version is added to the history, and the site is as it was.
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "publish",
        &fields("Prerender refuses", &body),
        None,
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("The build refused it: prerender: cannot render the page"),
        "{page}"
    );
    assert!(
        page.contains("Not published: the site is as it was."),
        "{page}"
    );
    assert!(s.content_file("articles/prerender-refuses.md").is_none());
    assert!(s.content_file("drafts/prerender-refuses.md").is_some());
    assert_eq!(s.read("content/library.json"), library);
}

#[tokio::test]
async fn a_later_date_schedules_the_article_and_it_is_in_no_file_until_then() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let mut later = fields("Winter aches", &body);
    later[5] = ("date", "2099-01-01");
    let (status, to, _) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "publish",
        &later,
        None,
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, edit) = browser.get(&to).await;
    assert!(
        edit.contains("Scheduled: it goes on the site on 1 January 2099 (London time)."),
        "{edit}"
    );
    assert!(s.content_file("articles/winter-aches.md").is_some());
    for file in [
        "content/library.json",
        "feed.xml",
        "sitemap.xml",
        "content/search.json",
    ] {
        assert!(
            !s.read(file).contains("Winter aches") && !s.read(file).contains("winter-aches"),
            "{file}"
        );
    }
    let (_, _, list) = browser.get("/inbox/articles").await;
    assert!(list.contains("Scheduled for 1 January 2099"), "{list}");
}

#[tokio::test]
async fn a_later_date_takes_a_published_article_off_the_site_only_when_she_says_so() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let article = fields("Spring aches", &body);
    let (status, to, _) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "publish",
        &article,
        None,
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, edit) = browser.get(&to).await;
    let mut later = article.clone();
    later[5] = ("date", "2099-03-01");
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/spring-aches",
        &edit,
        "publish",
        &later,
        None,
    )
    .await;
    assert_eq!(status, 422);
    let at_date = page
        .split("id=\"form_date-error\"")
        .nth(1)
        .unwrap_or_else(|| panic!("a message at the date: {page}"));
    assert!(at_date.contains("takes it off until then"), "{page}");
    assert!(
        page.contains("Take it off the site until 1 March 2099"),
        "{page}"
    );
    assert!(
        s.read("content/library.json").contains("Spring aches"),
        "still on the site"
    );
    let mut confirmed = later.clone();
    confirmed.push(("take_off", "yes"));
    let (status, _, _) = send(
        &mut browser,
        "/inbox/articles/spring-aches",
        &page,
        "publish",
        &confirmed,
        None,
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        !s.read("content/library.json").contains("Spring aches"),
        "off until then"
    );
}

#[tokio::test]
async fn she_deletes_a_draft_after_saying_so_and_a_copy_is_kept() {
    let s = setup().await;
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let body = words(80);
    let (status, to, _) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "draft",
        &fields("Half an idea", &body),
        None,
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, edit) = browser.get(&to).await;
    assert!(
        edit.contains("href=\"/inbox/articles/half-an-idea/discard\""),
        "{edit}"
    );
    // The link only asks: nothing goes until she confirms.
    let (status, _, ask) = browser.get("/inbox/articles/half-an-idea/discard").await;
    assert_eq!(status, 200);
    assert!(ask.contains("It was never published"), "{ask}");
    assert!(s.content_file("drafts/half-an-idea.md").is_some());
    let (status, _, _) = browser
        .post_multipart(
            "/inbox/articles/half-an-idea/discard",
            &[("csrf", "forged")],
            None,
        )
        .await;
    assert_eq!(status, 403);
    assert!(s.content_file("drafts/half-an-idea.md").is_some());
    let (status, to, _) = send(
        &mut browser,
        "/inbox/articles/half-an-idea/discard",
        &ask,
        "",
        &[],
        None,
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/inbox/articles?done=discarded")
    );
    assert!(s.content_file("drafts/half-an-idea.md").is_none());
    let kept = std::fs::read_dir(s.content.join("history/half-an-idea"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<Vec<_>>();
    assert!(
        kept.len() == 1 && kept[0].contains("Half an idea"),
        "{kept:?}"
    );
    let (_, _, list) = browser.get(&to).await;
    assert!(
        list.contains("Draft deleted") && !list.contains("Half an idea"),
        "{list}"
    );
    let (status, _, _) = browser.get("/inbox/articles/half-an-idea").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn hostile_text_in_the_editor_gets_exactly_what_a_hostile_file_gets() {
    let s = setup().await;
    let hostile =
        std::fs::read_to_string(Path::new(ROOT).join("tests/e2e/hostile/hostile-content.md"))
            .unwrap();
    let (form, problem) = massage_core::articles::article_form::ArticleForm::from_file(&hostile);
    assert_eq!(problem, None);
    let mut browser = signed_in(&s.server).await;
    let (_, _, page) = browser.get("/inbox/articles/new").await;
    let fields = [
        ("address", "hostile-content"),
        ("title", form.title.as_str()),
        ("summary", form.summary.as_str()),
        ("category", ""),
        ("new_category", form.category.as_str()),
        ("tags", form.tags.as_str()),
        ("date", form.date.as_str()),
        ("updated", ""),
        ("body", form.body.as_str()),
    ];
    let (status, to, page) = send(
        &mut browser,
        "/inbox/articles/new",
        &page,
        "preview",
        &fields,
        None,
    )
    .await;
    assert_eq!(status, 303, "{page}");
    // Her pages show every value as text: no element or attribute of the payloads' own.
    let (_, _, preview) = browser.get(to.trim_end_matches("#page_preview")).await;
    for payload in [
        "<img src=x",
        "<script>alert",
        "<svg onload",
        "autofocus/onfocus=alert(14)/data-pwn=\">",
        "data-pwn>",
    ] {
        assert!(!preview.contains(payload), "{payload} in {preview}");
    }
    assert!(
        preview.contains("onerror=alert(1) data-pwn&gt;&lt;/title&gt;"),
        "{preview}"
    );
    // Published, the site holds what the hostile file gives: the same index entry and the
    // same rendered body.
    let (status, _, page) = send(
        &mut browser,
        "/inbox/articles/hostile-content",
        &preview,
        "publish",
        &fields[1..],
        None,
    )
    .await;
    assert_eq!(status, 303, "{page}");
    let from_file = Library::from_files(
        &[("content/articles/hostile-content.md".to_owned(), hostile)],
        &Photos::default(),
        site_build::london_today(),
    )
    .unwrap();
    let expected = &from_file.articles[0];
    let index: massage_core::articles::LibraryIndex =
        serde_json::from_str(&s.read("content/library.json")).unwrap();
    assert_eq!(index.article("hostile-content"), Some(&expected.meta));
    assert_eq!(
        s.read("content/articles/hostile-content.json"),
        serde_json::to_string(&expected.rendered.body()).unwrap()
    );
}

#[tokio::test]
async fn an_article_written_while_the_receiver_was_stopped_is_published_before_it_serves() {
    let s = setup().await;
    let text = format!(
        "---\ntitle: Written by hand\nsummary: A file put in the folder on the server.\n\
         date: 2026-02-01\ncategory: Self-care\ntags: back pain\n---\n{}\n",
        words(80)
    );
    std::fs::write(s.content.join("articles/written-by-hand.md"), text).unwrap();
    assert!(!s.read("content/library.json").contains("written-by-hand"));
    let again = Server::start(&s.args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert!(
        s.read("content/library.json")
            .contains("\"slug\":\"written-by-hand\"")
    );
    assert_eq!(
        again
            .get("/content/articles/written-by-hand.json")
            .await
            .status(),
        200
    );
    again.logged(&["published"], 1).await;
}

#[tokio::test]
async fn a_publish_cut_short_is_put_back_before_the_receiver_serves() {
    let s = setup().await;
    let live = s.content_file("articles/back-pain.md").unwrap();
    // The receiver stopped after writing her edit, before the build answered: an edit the
    // build would refuse (the self-check's section gone) must not stop every later publish.
    let edit = live.replace("{#chronic}", "{#long-term}");
    std::fs::write(
        s.content.join(".publishing-article"),
        format!("back-pain\n+{live}"),
    )
    .unwrap();
    std::fs::write(s.content.join("articles/back-pain.md"), &edit).unwrap();
    let again = Server::start(&s.args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(s.content_file("articles/back-pain.md").unwrap(), live);
    assert_eq!(
        s.content_file("drafts/back-pain.md").unwrap(),
        edit,
        "her text is her draft"
    );
    assert!(s.content_file(".publishing-article").is_none());
    again.logged(&["a publish was cut short"], 1).await;
    assert_eq!(again.get("/healthz").await.status(), 200, "nothing failed");
}

#[tokio::test]
async fn without_a_content_folder_the_editor_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    assert!(set_password(&db, PASSWORD).status.success());
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    let mut browser = signed_in(&server).await;
    let (status, _, page) = browser.get("/inbox/articles").await;
    assert_eq!(status, 404);
    assert!(page.contains("The article editor is off"), "{page}");
    // No link in the header leads there.
    let (_, _, inbox) = browser.get("/inbox").await;
    assert!(inbox.contains("href=\"/inbox/diary\""), "{inbox}");
    assert!(!inbox.contains("href=\"/inbox/articles\""), "{inbox}");
}
