//! The site's addresses, as the build, the app's takeover and the receiver all need them.
//! (The router in `src/app.rs` maps them to components.)

use crate::articles::{CATEGORY_PARAM, SEARCH_PARAM, TAG_PARAM};

/// The pages that are the same for every visitor, other than articles: each is prerendered
/// and listed in the sitemap.
pub const STATIC: [&str; 6] = [
    "/",
    "/articles",
    "/self-check",
    "/book",
    "/services",
    "/privacy",
];

/// The static pages that show nothing from the article library.
pub const WITHOUT_LIBRARY: [&str; 5] = ["/", "/self-check", "/book", "/services", "/privacy"];

/// Where the self-check's steps live (`/self-check/legs`): one page per question, named by
/// its id in content/self-check.toml. Each is prerendered with its question and options
/// (never with answers: those stay in the tab, and never go into an address).
pub const SELF_CHECK_STEPS: &str = "/self-check/";

/// The self-check's result: it depends on the visitor's answers, so it is the one app page
/// that is not prerendered; hosts serve it the bare app shell.
pub const SELF_CHECK_RESULT: &str = "/self-check/result";

/// The address of the self-check step for question `id`, or of the result (`result`).
pub fn self_check_step(id: &str) -> String {
    format!("{SELF_CHECK_STEPS}{id}")
}

/// Whether `path` is a self-check step or its result (`/self-check/<one segment>`).
pub fn is_self_check_step(path: &str) -> bool {
    path.strip_prefix(SELF_CHECK_STEPS)
        .is_some_and(|step| !step.is_empty() && !step.contains('/'))
}

/// The file a prerendered page is written to, relative to the built site: `/` is
/// `index.html`, `/articles/x` is `articles/x/index.html`.
pub fn prerendered_file(path: &str) -> String {
    match path.trim_matches('/') {
        "" => "index.html".to_owned(),
        inner => format!("{inner}/index.html"),
    }
}

/// Whether a link to `href` is to the page at `path` (it is marked `aria-current="page"`):
/// the same page, or a page under it (`/articles` for `/articles/back-pain`). The home page
/// is current only on itself.
pub fn is_current(href: &str, path: &str) -> bool {
    let (href, path) = (tidy(href), tidy(path));
    href == path
        || (href != "/"
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// `/articles/` as `/articles`; `/` stays itself.
fn tidy(path: &str) -> &str {
    match path.trim_end_matches('/') {
        "" => "/",
        tidy => tidy,
    }
}

/// Which app a prerendered page starts. The pages that start it at once, the booking form
/// and the self-check, get apps with only their own routes: smaller, so a first visit costs
/// fewer bytes. Every other page, the bare shell and the app's own navigation use the whole
/// site's app. A page app loads any other page of the site from the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageApp {
    /// Every route (`src/main.rs`), the one Trunk loads itself.
    Site,
    /// `/book` only (`src/bin/booking-app.rs`): no article library.
    Booking,
    /// `/self-check` and its steps (`src/bin/self-check-app.rs`): no article library, no
    /// outbox.
    SelfCheck,
}

impl PageApp {
    /// The apps each page's own app is built as (besides `Site`).
    pub const PAGE_APPS: [PageApp; 2] = [PageApp::Booking, PageApp::SelfCheck];

    /// The app that starts on the prerendered page for `path`.
    pub fn for_page(path: &str) -> Self {
        if path == "/book" {
            PageApp::Booking
        } else if path == "/self-check" || is_self_check_step(path) {
            PageApp::SelfCheck
        } else {
            PageApp::Site
        }
    }

    /// Whether it sends booking requests waiting on the phone (the outbox). On the pages of an
    /// app without, `public/start.js` starts the site's app instead when one waits.
    pub fn has_outbox(self) -> bool {
        self != PageApp::SelfCheck
    }

    /// The Cargo binary it is built from, which is also how Trunk names its files.
    pub fn bin(self) -> &'static str {
        match self {
            PageApp::Site => "massage-site",
            PageApp::Booking => "booking-app",
            PageApp::SelfCheck => "self-check-app",
        }
    }
}

/// When the app starts on a prerendered page (`public/start.js` carries it out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Pages whose purpose needs the app (the booking form, the self-check's start): it is
    /// fetched once the page's first paint (on a prerendered page, also its largest) is on the
    /// screen, so the download never delays that paint.
    AfterFirstPaint,
    /// Reading pages are complete as HTML, so a first visit costs the page and its stylesheet
    /// only. The app starts when the visitor reaches for a control (search, a filter, a
    /// button), when the address has a parameter the page reads (see `params_read_by`), or
    /// when a booking request waits on the phone to be sent.
    OnIntent,
}

impl Start {
    /// As written in the page (`data-start`), for the script to read.
    pub fn as_str(self) -> &'static str {
        match self {
            Start::AfterFirstPaint => "after-first-paint",
            Start::OnIntent => "on-intent",
        }
    }
}

/// The prerendered pages that need the app as soon as they show.
pub const STARTS_AT_ONCE: [&str; 2] = ["/self-check", "/book"];

/// When the app starts on the prerendered page for `path`: the booking form, the
/// self-check's start and each of its steps need it (the app fills in the answers).
pub fn start(path: &str) -> Start {
    if STARTS_AT_ONCE.contains(&path) || is_self_check_step(path) {
        Start::AfterFirstPaint
    } else {
        Start::OnIntent
    }
}

/// The address parameters the page for `path` reads. Its prerendered HTML shows the page
/// without them, so when one is present the app starts at once; any other parameter (a
/// campaign tag, say) changes nothing and starts nothing.
pub fn params_read_by(path: &str) -> &'static [&'static str] {
    match path {
        "/articles" => &[SEARCH_PARAM, CATEGORY_PARAM, TAG_PARAM],
        _ => &[],
    }
}

/// Whether `path` is a page of the app that is never prerendered (so it gets the shell).
/// Steps are prerendered files; a step that does not exist is an unknown page (404).
pub fn is_per_visitor(path: &str) -> bool {
    path == SELF_CHECK_RESULT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_current_on_its_page_and_the_pages_under_it() {
        for (href, path, current) in [
            ("/", "/", true),
            ("/", "/articles", false),
            ("/articles", "/articles", true),
            ("/articles", "/articles/", true),
            ("/articles", "/articles/back-pain", true),
            ("/articles", "/articlesx", false),
            ("/book", "/books", false),
            ("/self-check", "/self-check/legs", true),
            ("/services", "/book", false),
        ] {
            assert_eq!(is_current(href, path), current, "{href} on {path}");
        }
    }

    #[test]
    fn the_pages_that_start_at_once_get_their_own_apps() {
        assert_eq!(PageApp::for_page("/book"), PageApp::Booking);
        assert_eq!(PageApp::for_page("/self-check"), PageApp::SelfCheck);
        assert_eq!(PageApp::for_page("/self-check/legs"), PageApp::SelfCheck);
        for path in [
            "/",
            "/articles",
            "/articles/back-pain",
            "/services",
            "/404",
            "/book/sent/x",
        ] {
            assert_eq!(PageApp::for_page(path), PageApp::Site, "{path}");
        }
        // Each page app is for pages that start at once, or it would be fetched for nothing.
        for path in STARTS_AT_ONCE {
            assert_ne!(PageApp::for_page(path), PageApp::Site, "{path}");
        }
    }

    #[test]
    fn pages_map_to_index_files() {
        assert_eq!(prerendered_file("/"), "index.html");
        assert_eq!(prerendered_file("/articles"), "articles/index.html");
        assert_eq!(
            prerendered_file("/articles/back-pain/"),
            "articles/back-pain/index.html"
        );
    }

    #[test]
    fn only_the_self_check_result_is_per_visitor() {
        assert!(is_per_visitor("/self-check/result"));
        assert!(!is_per_visitor("/self-check/legs"), "a step is prerendered");
        assert!(
            !is_per_visitor("/self-check/bogus"),
            "an unknown step is a 404"
        );
        assert!(!is_per_visitor("/self-check"));
        assert!(!is_per_visitor("/self-check/"));
        assert!(!is_per_visitor("/self-check/3/extra"));
        assert!(!is_per_visitor("/articles/back-pain"));
    }

    #[test]
    fn reading_pages_wait_for_the_visitor_and_app_pages_start_at_once() {
        assert_eq!(start("/book"), Start::AfterFirstPaint);
        assert_eq!(start("/self-check"), Start::AfterFirstPaint);
        assert_eq!(start("/self-check/legs"), Start::AfterFirstPaint);
        assert_eq!(self_check_step("legs"), "/self-check/legs");
        assert!(is_self_check_step(&self_check_step("legs")));
        assert!(!is_self_check_step("/self-check/legs/x") && !is_self_check_step("/self-check/"));
        for reading in ["/", "/articles", "/articles/back-pain", "/services", "/404"] {
            assert_eq!(start(reading), Start::OnIntent, "{reading}");
        }
        assert!(STARTS_AT_ONCE.iter().all(|p| STATIC.contains(p)));
    }

    #[test]
    fn only_the_library_reads_address_parameters() {
        assert_eq!(params_read_by("/articles"), ["q", "category", "tag"]);
        assert!(params_read_by("/articles/back-pain").is_empty());
        assert!(params_read_by("/").is_empty());
    }

    #[test]
    fn pages_without_the_library_are_static_pages() {
        assert!(WITHOUT_LIBRARY.iter().all(|p| STATIC.contains(p)));
    }
}
