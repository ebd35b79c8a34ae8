//! PNG copies of the site's SVG icon, for what needs a bitmap: the manifest's 192 and 512
//! pixel icons (Android's install prompt and home screen) and `apple-touch-icon.png` (an
//! iPhone's home screen; Safari asks for it at the site's root). Drawn at build time from the
//! one SVG, so there is a single icon to change.

use resvg::{tiny_skia, usvg};
use std::path::Path;

/// The manifest's PNG icons (file name, size in pixels).
pub const MANIFEST_PNGS: [(&str, u32); 2] = [("icon-192.png", 192), ("icon-512.png", 512)];

/// The PNGs written: the manifest's, and the iPhone's home-screen icon.
pub const PNGS: [(&str, u32); 3] = [
    MANIFEST_PNGS[0],
    MANIFEST_PNGS[1],
    ("apple-touch-icon.png", 180),
];

/// `svg` drawn as a `size` x `size` PNG.
pub fn png(svg: &[u8], size: u32) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default())
        .map_err(|e| format!("the icon is not an SVG resvg can draw: {e}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(size, size).ok_or("an empty icon size")?;
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// Writes every PNG of `PNGS` into `site` from the SVG icon at `svg`.
pub fn write_pngs(svg: &Path, site: &Path) -> Result<(), String> {
    let source = std::fs::read(svg).map_err(|e| format!("{}: {e}", svg.display()))?;
    for (name, size) in PNGS {
        let path = site.join(name);
        std::fs::write(&path, png(&source, size)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ICON: &str = include_str!("../../../public/favicon.svg");

    #[test]
    fn the_icon_is_drawn_at_each_size_in_its_own_colours() {
        for (_, size) in PNGS {
            let png = png(ICON.as_bytes(), size).unwrap();
            let pixmap = tiny_skia::Pixmap::decode_png(&png).unwrap();
            assert_eq!((pixmap.width(), pixmap.height()), (size, size));
            // The middle of the left edge is the icon's green background, not transparent.
            let edge = pixmap.pixel(2, size / 2).unwrap();
            assert_eq!(
                (edge.red(), edge.green(), edge.blue(), edge.alpha()),
                (0x1f, 0x5f, 0x55, 255)
            );
        }
    }

    #[test]
    fn a_broken_icon_is_an_error_not_a_blank_png() {
        assert!(png(b"<svg", 192).unwrap_err().contains("not an SVG"));
    }
}
