//! `finish-site [--content DIR] SITE`: the last build step (Trunk's post_build hook, after
//! `site-build` and `prerender`). Writes the PNG icons, the web app manifest and the service
//! worker, which name the files Trunk built, then a brotli and a gzip copy of every text file,
//! so each is compressed once, at the best level, instead of on every request.

use massage_core::services::Catalog;
use site_build::icons::write_pngs;
use site_build::precompress::precompress;
use site_build::service_worker::{manifest, service_worker};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (content, site) = match args.as_slice() {
        [site] => (PathBuf::from("content"), PathBuf::from(site)),
        [flag, content, site] if flag == "--content" => {
            (PathBuf::from(content), PathBuf::from(site))
        }
        _ => {
            eprintln!("usage: finish-site [--content DIR] SITE");
            return ExitCode::from(2);
        }
    };
    match finish(&content, &site) {
        Ok(summary) => {
            eprintln!("finish-site: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn finish(content: &Path, site: &Path) -> Result<String, String> {
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
        "icons, manifest, service worker; {} files compressed: {} KB -> {} KB gzip, {} KB brotli",
        s.files,
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
