//! The last build step (`finish-site`, and `publish` after it): the PNG icons, the web app
//! manifest and the service worker, which name the files Trunk built, then a brotli and a
//! gzip copy of every text file, so each is compressed once, at the best level, instead of on
//! every request.

use crate::icons::write_pngs;
use crate::precompress::precompress;
use crate::service_worker::{manifest, service_worker};
use massage_core::services::Catalog;
use std::path::Path;

/// Writes the icons, manifest, service worker and compressed copies into `site`.
pub fn finish(content: &Path, site: &Path) -> Result<String, String> {
    let services = content.join("services.toml");
    let text =
        std::fs::read_to_string(&services).map_err(|e| format!("{}: {e}", services.display()))?;
    let catalog =
        Catalog::from_toml(&services.display().to_string(), &text).map_err(|e| e.to_string())?;
    let write = |name: &str, text: &str| {
        std::fs::write(site.join(name), text).map_err(|e| format!("{}/{name}: {e}", site.display()))
    };
    let icon = icon(site)?;
    write_pngs(&site.join(icon.trim_start_matches('/')), site)?;
    write("manifest.webmanifest", &manifest(&catalog.practice, &icon))?;
    write("sw.js", &service_worker(site)?)?;
    let s = precompress(site).map_err(|e| format!("compressing {}: {e}", site.display()))?;
    Ok(format!(
        "icons, manifest, service worker; {} files compressed ({} unchanged): {} KB -> {} KB gzip, {} KB brotli",
        s.files,
        s.unchanged,
        s.raw / 1024,
        s.gzip / 1024,
        s.brotli / 1024
    ))
}

/// The site's icon as Trunk copied it (`favicon-<hash>.svg`).
fn icon(site: &Path) -> Result<String, String> {
    std::fs::read_dir(site)
        .map_err(|e| format!("{}: {e}", site.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with("favicon") && name.ends_with(".svg"))
        .map(|name| format!("/{name}"))
        .ok_or_else(|| format!("{}: no favicon*.svg", site.display()))
}
