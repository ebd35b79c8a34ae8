//! The security policy the site is served under, the same on every host: the receiver sends
//! it as headers, the build writes it into Netlify's `_headers` file, and every built page
//! carries its Content-Security-Policy as a `<meta>` tag, so that a plain static host (GitHub
//! Pages, a host without headers, `python3 -m http.server`) enforces it too.
//!
//! Reading built pages for the hashes of their inline scripts and styles is in
//! `site_html` (feature `html`, native only).

use std::collections::BTreeSet;

/// Headers every response gets besides the CSP (and that a `<meta>` tag cannot carry).
pub const SECURITY_HEADERS: [(&str, &str); 3] = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
];

/// Trunk names build outputs `name-<hex digits>.ext`; such files never change, so browsers
/// may keep them for a year. Everything else must be revalidated so a new deploy shows at once.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for everything not named after its content.
pub const REVALIDATE: &str = "no-cache";

/// Whether `path` names a file Trunk named after its content hash.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.split(['-', '_'])
        .any(|part| (10..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The inline `<script>` and `<style>` elements a page (or the whole site) needs, as CSP
/// source expressions (`'sha256-…'`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InlineHashes {
    /// Hashes of the inline scripts.
    pub scripts: BTreeSet<String>,
    /// Hashes of the inline styles.
    pub styles: BTreeSet<String>,
}

impl InlineHashes {
    /// Everything `other` needs too (the site's header policy allows every page's inline code).
    pub fn extend(&mut self, other: InlineHashes) {
        self.scripts.extend(other.scripts);
        self.styles.extend(other.styles);
    }
}

/// How the policy reaches the browser: a `<meta>` tag cannot carry `frame-ancestors`
/// (browsers ignore it there), so only headers forbid framing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// A `Content-Security-Policy` response header, which can forbid framing.
    Header,
    /// A `<meta http-equiv>` tag in each page: works on any host, but cannot forbid framing.
    Meta,
}

/// The origin (`https://forms.example`) of the booking endpoint the site was built with, when
/// it is on another site; None for the site's own (`/api/booking-requests`).
pub fn endpoint_origin(endpoint: &str) -> Option<&str> {
    let rest = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"))?;
    let authority = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &endpoint[..endpoint.len() - rest.len() + authority];
    // Only what a policy source can be: no spaces, quotes or separators smuggled in.
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    (authority > 0 && rest[..authority].chars().all(plain)).then_some(origin)
}

/// A policy the site works under and little else does: scripts and styles only from this
/// origin plus the inline ones by hash, WebAssembly, no plugins, no base URLs, requests and
/// forms only to this origin and the booking endpoint's (`endpoint`, as the site was built
/// with it), and (as a header) no framing.
pub fn content_security_policy(
    inline: &InlineHashes,
    endpoint: &str,
    delivery: Delivery,
) -> String {
    let endpoint = endpoint_origin(endpoint)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let sources =
        |hashes: &BTreeSet<String>| hashes.iter().map(|h| format!(" {h}")).collect::<String>();
    let mut policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
         img-src 'self' data:; connect-src 'self'{endpoint}; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'{endpoint}",
        sources(&inline.scripts),
        sources(&inline.styles),
    );
    if delivery == Delivery::Header {
        policy.push_str("; frame-ancestors 'none'");
    }
    policy
}

/// The Content-Security-Policy in a `_headers` file `netlify_headers` wrote.
pub fn policy_in_netlify_headers(file: &str) -> Option<&str> {
    file.lines()
        .find_map(|line| line.trim().strip_prefix("Content-Security-Policy:"))
        .map(str::trim)
}

/// Netlify's `_headers` file: the policy and the other security headers for every path, and
/// long caching for the files named after their content (`hashed_assets`, site paths such as
/// `/app-1a2b3c4d5e6f7a8b.js`). Other files keep the host's default (revalidate).
pub fn netlify_headers<'a>(
    policy: &str,
    hashed_assets: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut file = String::from(
        "# Written by the build (src/bin/prerender.rs): the headers the receiver sends too.\n/*\n",
    );
    file.push_str(&format!("  Content-Security-Policy: {policy}\n"));
    for (name, value) in SECURITY_HEADERS {
        file.push_str(&format!("  {name}: {value}\n"));
    }
    for path in hashed_assets {
        file.push_str(&format!("{path}\n  Cache-Control: {IMMUTABLE}\n"));
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(scripts: &[&str], styles: &[&str]) -> InlineHashes {
        InlineHashes {
            scripts: scripts.iter().map(|s| s.to_string()).collect(),
            styles: styles.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_code_given() {
        let inline = hashes(&["'sha256-AAA='"], &["'sha256-BBB='"]);
        let header = content_security_policy(&inline, "/api/booking-requests", Delivery::Header);
        assert!(
            header.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-AAA=';"),
            "{header}"
        );
        assert!(
            header.contains("style-src 'self' 'sha256-BBB=';"),
            "{header}"
        );
        assert!(header.ends_with("; frame-ancestors 'none'"), "{header}");
        assert!(header.contains("object-src 'none'"), "{header}");
        let meta = content_security_policy(&inline, "/api/booking-requests", Delivery::Meta);
        assert!(
            !meta.contains("frame-ancestors"),
            "ignored in a meta tag: {meta}"
        );
        assert_eq!(
            content_security_policy(&InlineHashes::default(), "", Delivery::Meta),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self'"
        );
    }

    #[test]
    fn requests_and_forms_may_go_to_the_booking_endpoint_on_another_site() {
        let policy = |endpoint| {
            content_security_policy(&InlineHashes::default(), endpoint, Delivery::Header)
        };
        let hosted = policy("https://forms.example:8443/f/abc?x=1");
        assert!(
            hosted.contains("connect-src 'self' https://forms.example:8443;"),
            "{hosted}"
        );
        assert!(
            hosted.contains("form-action 'self' https://forms.example:8443;"),
            "{hosted}"
        );
        assert!(policy("/api/booking-requests").contains("connect-src 'self';"));
        assert_eq!(
            endpoint_origin("http://localhost:9000"),
            Some("http://localhost:9000")
        );
        assert_eq!(endpoint_origin("https://a.example; script-src *"), None);
        assert_eq!(endpoint_origin("https:///x"), None);
        assert_eq!(endpoint_origin("javascript:alert(1)"), None);
    }

    #[test]
    fn a_site_policy_allows_every_pages_inline_code() {
        let mut site = hashes(&["'sha256-A='"], &[]);
        site.extend(hashes(&["'sha256-B='", "'sha256-A='"], &["'sha256-C='"]));
        assert_eq!(
            site,
            hashes(&["'sha256-A='", "'sha256-B='"], &["'sha256-C='"])
        );
    }

    #[test]
    fn netlify_gets_the_same_headers_and_long_caching_for_hashed_files() {
        let file = netlify_headers("default-src 'self'", ["/app-0123456789abcdef.js"]);
        assert_eq!(policy_in_netlify_headers(&file), Some("default-src 'self'"));
        assert_eq!(
            file.lines().skip(1).collect::<Vec<_>>(),
            [
                "/*",
                "  Content-Security-Policy: default-src 'self'",
                "  X-Content-Type-Options: nosniff",
                "  Referrer-Policy: strict-origin-when-cross-origin",
                "  X-Frame-Options: DENY",
                "/app-0123456789abcdef.js",
                "  Cache-Control: public, max-age=31536000, immutable",
            ]
        );
    }

    #[test]
    fn recognises_trunk_hashed_file_names() {
        assert!(is_hashed_asset("/massage-site-6c1f2e7a9b3d4c5e_bg.wasm"));
        assert!(is_hashed_asset("/main-a1b2c3d4e5f6a7b8.css"));
        // Trunk does not zero-pad the hash.
        assert!(is_hashed_asset("/main-f648beb93c05556.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/articles/back-pain"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
