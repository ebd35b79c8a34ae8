//! Photos in articles. The author writes `![what it shows](/images/back-pain-1.jpg)`, naming a
//! file in `content/images/`; the build publishes it at a few widths, in WebP and JPEG, under
//! names that carry a hash of the file (so a changed photo gets new addresses and every
//! published file can be cached for a year). This module decides those widths and names and
//! writes the `<picture>` element: the build (site-build) encodes the files to match.

use pulldown_cmark_escape::{escape_href, escape_html};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where articles point at photos, and where the published files are served from.
pub const IMAGES_PATH: &str = "/images/";

/// The widths each photo is published at: a phone at 1x, a phone at 2-3x or a tablet, and the
/// widest the article column shows at 2x. A photo narrower than one is never enlarged.
pub const PHOTO_WIDTHS: [u32; 3] = [480, 800, 1200];

/// How wide a photo shows: the article column (42rem less its padding) or the screen less
/// the page's margins, so the browser picks the smallest file that stays sharp.
pub const PHOTO_SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";

/// The photo files the site accepts, by the extension of the file in `content/images/`.
pub const PHOTO_EXTENSIONS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

/// A published file format, in the order the browser should prefer them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoFormat {
    /// Lossy WebP: smaller than JPEG at the same quality (measured in site-build's tests).
    Webp,
    /// JPEG: every browser, and what link previews (Open Graph) show.
    Jpeg,
}

impl PhotoFormat {
    /// Every format published, preferred first.
    pub const ALL: [PhotoFormat; 2] = [PhotoFormat::Webp, PhotoFormat::Jpeg];

    /// The published file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Webp => "webp",
            Self::Jpeg => "jpg",
        }
    }

    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Webp => "image/webp",
            Self::Jpeg => "image/jpeg",
        }
    }
}

/// One photo from `content/images/`, as the build found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The file's name in `content/images/`, e.g. `back-pain-1.jpg`.
    pub file: String,
    /// What the published files are named after: the file's name and a hash of its bytes,
    /// e.g. `back-pain-1-0123456789ab`.
    pub stem: String,
    /// The width in pixels, upright (after its EXIF orientation is applied).
    pub width: u32,
    /// The height in pixels, upright.
    pub height: u32,
}

impl Photo {
    /// The widths it is published at, narrowest first: `PHOTO_WIDTHS` up to its own width,
    /// and its own width when that is narrower than the widest.
    pub fn widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = PHOTO_WIDTHS
            .iter()
            .copied()
            .filter(|w| *w < self.width)
            .collect();
        if self.width <= PHOTO_WIDTHS[PHOTO_WIDTHS.len() - 1] || widths.is_empty() {
            widths.push(self.width.min(PHOTO_WIDTHS[PHOTO_WIDTHS.len() - 1]));
        }
        widths.dedup();
        widths
    }

    /// The height at `width`, keeping the proportions (at least one pixel).
    pub fn height_at(&self, width: u32) -> u32 {
        let height = (u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width.max(1));
        u32::try_from(height).unwrap_or(u32::MAX).max(1)
    }

    /// The widest published width.
    pub fn largest(&self) -> u32 {
        self.widths().last().copied().unwrap_or(self.width)
    }

    /// The published file's name at `width` in `format`, e.g. `back-pain-1-0123456789ab-800.webp`.
    pub fn file_name(&self, width: u32, format: PhotoFormat) -> String {
        format!("{}-{width}.{}", self.stem, format.extension())
    }

    /// The published file's address on the site.
    pub fn src(&self, width: u32, format: PhotoFormat) -> String {
        format!("{IMAGES_PATH}{}", self.file_name(width, format))
    }

    /// `srcset`'s value, ready for an attribute: each address escaped, then its width.
    fn srcset(&self, format: PhotoFormat) -> String {
        let mut out = String::new();
        for (i, width) in self.widths().into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            escape_href(&mut out, &self.src(width, format)).expect("writing to a String");
            out.push_str(&format!(" {width}w"));
        }
        out
    }

    /// The `<picture>` for this photo: WebP and JPEG at every width, the browser choosing by
    /// the space the column gives it; `width` and `height` so the page keeps its place for
    /// the photo before it arrives (no layout shift). Only the first photo of an article may
    /// be near the top of the screen: the others load when scrolled near.
    pub fn picture(&self, alt: &str, first: bool) -> String {
        let largest = self.largest();
        let mut html = format!(
            "<picture><source type=\"{}\" srcset=\"{}\" sizes=\"{PHOTO_SIZES}\">",
            PhotoFormat::Webp.mime(),
            self.srcset(PhotoFormat::Webp)
        );
        html.push_str("<img src=\"");
        escape_href(&mut html, &self.src(largest, PhotoFormat::Jpeg)).expect("writing to a String");
        html.push_str(&format!(
            "\" srcset=\"{}\" sizes=\"{PHOTO_SIZES}\" width=\"{largest}\" height=\"{}\" alt=\"",
            self.srcset(PhotoFormat::Jpeg),
            self.height_at(largest)
        ));
        escape_html(&mut html, alt).expect("writing to a String");
        html.push('"');
        if !first {
            html.push_str(" loading=\"lazy\"");
        }
        html.push_str(" decoding=\"async\"></picture>");
        html
    }
}

/// The photos an article may show: every file in `content/images/`, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Photos {
    by_file: BTreeMap<String, Photo>,
}

impl Photos {
    /// Adds (or replaces) a photo.
    pub fn insert(&mut self, photo: Photo) {
        self.by_file.insert(photo.file.clone(), photo);
    }

    /// The photo an article's image address names (`/images/back-pain-1.jpg`), if there is
    /// one by that name.
    pub fn at(&self, src: &str) -> Option<&Photo> {
        self.by_file.get(src.strip_prefix(IMAGES_PATH)?)
    }

    /// Every photo, by file name.
    pub fn iter(&self) -> impl Iterator<Item = &Photo> {
        self.by_file.values()
    }
}

/// Whether an image address points into the site's photos (and so must name a file there).
pub fn is_photo_src(src: &str) -> bool {
    src.starts_with(IMAGES_PATH)
}

/// The article's photo for link previews and search engines (Open Graph, JSON-LD): its
/// first one, published at its widest as JPEG, which every preview reader shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadPhoto {
    /// The JPEG's address on the site (`/images/...`): prefix the site's address.
    pub src: String,
    /// In pixels.
    pub width: u32,
    /// In pixels.
    pub height: u32,
    /// Its alt text.
    pub alt: String,
}

impl LeadPhoto {
    /// The widest JPEG of `photo`, described by `alt`.
    pub fn of(photo: &Photo, alt: &str) -> Self {
        let width = photo.largest();
        Self {
            src: photo.src(width, PhotoFormat::Jpeg),
            width,
            height: photo.height_at(width),
            alt: alt.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(width: u32, height: u32) -> Photo {
        Photo {
            file: "table.jpg".into(),
            stem: "table-0123456789ab".into(),
            width,
            height,
        }
    }

    #[test]
    fn photos_are_published_at_a_few_widths_never_enlarged() {
        assert_eq!(photo(4032, 3024).widths(), [480, 800, 1200]);
        assert_eq!(photo(1200, 900).widths(), [480, 800, 1200]);
        assert_eq!(photo(1000, 750).widths(), [480, 800, 1000]);
        assert_eq!(photo(480, 360).widths(), [480]);
        assert_eq!(photo(300, 200).widths(), [300]);
        assert_eq!(photo(4032, 3024).height_at(1200), 900);
        assert_eq!(photo(3024, 4032).height_at(480), 640);
        assert_eq!(photo(5000, 1).height_at(480), 1);
    }

    #[test]
    fn a_picture_offers_webp_then_jpeg_with_its_size_and_escaped_alt() {
        let html = photo(4032, 3024).picture("A \"table\" <set up>", false);
        assert!(
            html.starts_with(
                "<picture><source type=\"image/webp\" srcset=\"/images/table-0123456789ab-480.webp 480w, \
                 /images/table-0123456789ab-800.webp 800w, /images/table-0123456789ab-1200.webp 1200w\""
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<img src=\"/images/table-0123456789ab-1200.jpg\" srcset=\"/images/table-0123456789ab-480.jpg 480w, "
            ),
            "{html}"
        );
        assert!(
            html.contains("width=\"1200\" height=\"900\" alt=\"A &quot;table&quot; &lt;set up&gt;\" loading=\"lazy\""),
            "{html}"
        );
        assert!(!photo(800, 600).picture("x", true).contains("loading"));
    }

    #[test]
    fn only_files_in_the_images_folder_are_photos() {
        let mut photos = Photos::default();
        photos.insert(photo(800, 600));
        assert!(photos.at("/images/table.jpg").is_some());
        assert!(photos.at("/images/other.jpg").is_none());
        assert!(photos.at("table.jpg").is_none());
        assert!(is_photo_src("/images/x.jpg") && !is_photo_src("/favicon.svg"));
        let lead = LeadPhoto::of(photos.at("/images/table.jpg").unwrap(), "A table");
        assert_eq!(
            (lead.src.as_str(), lead.width, lead.height),
            ("/images/table-0123456789ab-800.jpg", 800, 600)
        );
    }
}
