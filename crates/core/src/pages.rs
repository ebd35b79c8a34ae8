//! The site's addresses, as the build, the app's takeover and the receiver all need them.
//! (The router in `src/app.rs` maps them to components.)

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

/// Where the self-check's steps live (`/self-check/2`): they depend on the visitor's
/// answers, so they are not prerendered; hosts serve them the bare app shell.
pub const SELF_CHECK_STEPS: &str = "/self-check/";

/// The file a prerendered page is written to, relative to the built site: `/` is
/// `index.html`, `/articles/x` is `articles/x/index.html`.
pub fn prerendered_file(path: &str) -> String {
    match path.trim_matches('/') {
        "" => "index.html".to_owned(),
        inner => format!("{inner}/index.html"),
    }
}

/// Whether `path` is a page of the app that is never prerendered (so it gets the shell).
pub fn is_per_visitor(path: &str) -> bool {
    path.strip_prefix(SELF_CHECK_STEPS)
        .is_some_and(|step| !step.is_empty() && !step.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn only_self_check_steps_are_per_visitor() {
        assert!(is_per_visitor("/self-check/3"));
        assert!(!is_per_visitor("/self-check"));
        assert!(!is_per_visitor("/self-check/"));
        assert!(!is_per_visitor("/self-check/3/extra"));
        assert!(!is_per_visitor("/articles/back-pain"));
    }

    #[test]
    fn pages_without_the_library_are_static_pages() {
        assert!(WITHOUT_LIBRARY.iter().all(|p| STATIC.contains(p)));
    }
}
