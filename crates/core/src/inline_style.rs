//! The site's stylesheet and icon inside each prerendered page: a linked stylesheet blocks the
//! first paint for one more round trip, which is most of the difference between an article
//! and the same article as one self-contained file (`make bench`), and the icon is one more
//! request while the page loads. The app's own navigation needs no other stylesheet; the bare
//! shell (`shell.html`) keeps Trunk's links. Native only (feature `html`), like `site_html`.

use crate::site_policy::is_hashed_asset;
use base64::Engine;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Whether `href` is a file of the build's, in the site (Trunk names them by content), and
/// so one to read and put in the page; anything else stays a link.
fn is_the_builds(href: &str) -> bool {
    href.starts_with('/') && is_hashed_asset(href) && !href.contains("..")
}

/// `html` with each of the build's stylesheet links (`<link rel="stylesheet"
/// href="/main-1a2b….css">`, named after its content) replaced by a `<style>` holding the file,
/// read by `css_of(href)`. Other stylesheets (the `<noscript>` one) stay links.
pub fn with_inline_stylesheet(
    html: &str,
    css_of: impl Fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut found = false;
    let page = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("link[rel=stylesheet][href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if !is_the_builds(&href) {
                    return Ok(());
                }
                let css = css_of(&href)?;
                // A style element ends at the first `</style`, whatever the CSS means by it.
                if css.to_ascii_lowercase().contains("</style") {
                    return Err(format!("{href} contains </style").into());
                }
                el.replace(
                    &format!("<style>{}</style>", css.trim_end()),
                    ContentType::Html,
                );
                found = true;
                Ok(())
            })],
            ..RewriteStrSettings::default()
        },
    )
    .map_err(|e| format!("inlining the stylesheet: {e}"))?;
    if found {
        Ok(page)
    } else {
        Err("the page links no stylesheet of the build's to put inline".into())
    }
}

/// `html` with the build's SVG icon (`<link rel="icon" href="/favicon-1a2b….svg">`) as a
/// `data:` address holding the file, read by `svg_of(href)`: the browser has it without a
/// request (the site's policy allows `data:` images). A page without one is left as it is.
pub fn with_inline_icon(
    html: &str,
    svg_of: impl Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<String, String> {
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("link[rel=icon][href$='.svg']", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if !is_the_builds(&href) {
                    return Ok(());
                }
                let svg = base64::engine::general_purpose::STANDARD.encode(svg_of(&href)?);
                el.set_attribute("href", &format!("data:image/svg+xml;base64,{svg}"))?;
                // Integrity is for a fetched file; there is none now.
                el.remove_attribute("integrity");
                el.set_attribute("type", "image/svg+xml")?;
                Ok(())
            })],
            ..RewriteStrSettings::default()
        },
    )
    .map_err(|e| format!("inlining the icon: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<head><meta charset=\"utf-8\">\
        <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\" integrity=\"sha384-x\">\
        <noscript><link rel=\"stylesheet\" href=\"/noscript.css\"></noscript></head><body></body>";

    #[test]
    fn the_builds_stylesheet_goes_inline_and_the_noscript_one_stays_a_link() {
        let page = with_inline_stylesheet(PAGE, |href| {
            assert_eq!(href, "/main-0123456789abcdef.css");
            Ok("body { color: red; }\n".into())
        })
        .unwrap();
        assert_eq!(
            page,
            "<head><meta charset=\"utf-8\"><style>body { color: red; }</style>\
             <noscript><link rel=\"stylesheet\" href=\"/noscript.css\"></noscript></head><body></body>"
        );
    }

    #[test]
    fn the_builds_svg_icon_goes_inline_as_a_data_address() {
        let page = "<head><link rel=\"icon\" href=\"/favicon-0123456789abcdef.svg\" integrity=\"sha384-x\"></head>";
        let inline = with_inline_icon(page, |href| {
            assert_eq!(href, "/favicon-0123456789abcdef.svg");
            Ok(b"<svg/>".to_vec())
        })
        .unwrap();
        assert_eq!(
            inline,
            "<head><link rel=\"icon\" href=\"data:image/svg+xml;base64,PHN2Zy8+\" type=\"image/svg+xml\"></head>"
        );
        // No icon of the build's (none, or someone else's): the page as it was.
        for page in [
            "<head></head>",
            "<link rel=\"icon\" href=\"https://cdn.example/i.svg\">",
        ] {
            assert_eq!(with_inline_icon(page, |_| unreachable!()).unwrap(), page);
        }
    }

    #[test]
    fn css_that_would_end_the_style_element_is_refused() {
        let error = with_inline_stylesheet(PAGE, |_| Ok("a::after { content: '</STYLE>' }".into()));
        assert!(error.unwrap_err().contains("</style"));
    }

    #[test]
    fn a_page_without_the_stylesheet_is_an_error() {
        let error = with_inline_stylesheet("<head></head>", |_| Ok(String::new()));
        assert!(error.unwrap_err().contains("no stylesheet"));
    }
}
