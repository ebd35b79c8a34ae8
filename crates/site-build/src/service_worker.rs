//! The service worker (`sw.js`) and web app manifest, written into the built site after Trunk
//! has named its files. The worker's logic is `service-worker.js` beside this file; this
//! module adds what only the build knows: which files to keep (with Trunk's hashed names)
//! and a version that changes whenever one of them does, so each deploy is a new worker.

use crate::icons::MANIFEST_PNGS;
use massage_core::services::Practice;
use massage_core::site_policy::is_hashed_asset;
use std::path::Path;

const LOGIC: &str = include_str!("service-worker.js");

/// Kept when the worker is installed: what any page needs to show offline.
const CORE_FILES: [&str; 4] = [
    "offline.html",
    "shell.html",
    "manifest.webmanifest",
    "content/library.json",
];

/// The worker for the site in `site`: the lists of files to keep, its version, its logic.
pub fn service_worker(site: &Path) -> Result<String, String> {
    let mut core: Vec<String> = CORE_FILES.iter().map(|f| format!("/{f}")).collect();
    let mut app = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(site)
        .map_err(|e| format!("{}: {e}", site.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        if !is_hashed_asset(&name) {
            continue;
        }
        match name.rsplit('.').next() {
            // The app: kept once the visitor has fetched it (see service-worker.js).
            Some("js" | "wasm") => app.push(format!("/{name}")),
            // The stylesheet (the bare shell links it) and the icon.
            Some("css" | "svg" | "png") => core.push(format!("/{name}")),
            _ => {}
        }
    }
    if !app.iter().any(|f| f.ends_with(".wasm")) {
        return Err(format!(
            "{}: no app (*.wasm) to keep offline",
            site.display()
        ));
    }
    let mut digest = Fnv::default();
    digest.add(LOGIC.as_bytes());
    for file in core.iter().chain(&app) {
        let bytes = std::fs::read(site.join(file.trim_start_matches('/')))
            .map_err(|e| format!("{}{file}: {e}", site.display()))?;
        digest.add(file.as_bytes());
        digest.add(&bytes);
    }
    let list = |files: &[String]| serde_json::to_string(files).expect("names serialise");
    Ok(format!(
        "// Written by the build (site-build finish-site); the logic is crates/site-build/src/service-worker.js.\n\
         const VERSION = '{:016x}';\nconst CORE = {};\nconst APP = {};\n\n{LOGIC}",
        digest.0,
        list(&core),
        list(&app),
    ))
}

/// The web app manifest: the practice's name and colours, its icon (the SVG, and the PNGs
/// drawn from it that Android's install prompt wants), and the site as an app.
pub fn manifest(practice: &Practice, icon: &str) -> String {
    let mut icons = vec![
        serde_json::json!({ "src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any" }),
    ];
    icons.extend(MANIFEST_PNGS.iter().map(|(name, size)| {
        serde_json::json!({ "src": format!("/{name}"), "sizes": format!("{size}x{size}"), "type": "image/png", "purpose": "any" })
    }));
    serde_json::json!({
        "name": practice.name,
        "short_name": practice.name,
        "description": practice.tagline,
        "lang": "en-GB",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbf8f3",
        "theme_color": "#1f5f55",
        "icons": icons
    })
    .to_string()
}

/// FNV-1a: enough to tell one build's files from another's (not a security boundary).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        for (file, text) in [
            ("offline.html", "offline"),
            ("shell.html", "shell"),
            ("manifest.webmanifest", "{}"),
            ("content/library.json", "{}"),
            ("main-0123456789abcdef.css", "css"),
            ("massage-site-0123456789abcdef.js", "js"),
            ("massage-site-0123456789abcdef_bg.wasm", "wasm"),
            ("favicon-0123456789abcde.svg", "<svg/>"),
            ("index.html", "home"),
        ] {
            std::fs::write(site.path().join(file), text).unwrap();
        }
        site
    }

    fn version(worker: &str) -> &str {
        worker
            .split("const VERSION = '")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
    }

    #[test]
    fn keeps_the_shell_css_and_the_app_by_their_built_names() {
        let site = site();
        let worker = service_worker(site.path()).unwrap();
        assert!(worker.contains(
            "const CORE = [\"/offline.html\",\"/shell.html\",\"/manifest.webmanifest\",\
             \"/content/library.json\",\"/favicon-0123456789abcde.svg\",\"/main-0123456789abcdef.css\"];"
        ), "{worker}");
        assert!(worker.contains(
            "const APP = [\"/massage-site-0123456789abcdef.js\",\"/massage-site-0123456789abcdef_bg.wasm\"];"
        ), "{worker}");
        // Pages are read from the network first, never kept at install.
        assert!(!worker.contains("\"/index.html\""));
    }

    #[test]
    fn a_changed_file_is_a_new_worker_and_a_page_is_not() {
        let site = site();
        let first = service_worker(site.path()).unwrap();
        std::fs::write(site.path().join("index.html"), "home, edited").unwrap();
        assert_eq!(
            version(&service_worker(site.path()).unwrap()),
            version(&first)
        );
        std::fs::write(site.path().join("shell.html"), "shell, edited").unwrap();
        assert_ne!(
            version(&service_worker(site.path()).unwrap()),
            version(&first)
        );
    }

    #[test]
    fn a_site_without_the_app_is_an_error() {
        let site = site();
        std::fs::remove_file(site.path().join("massage-site-0123456789abcdef_bg.wasm")).unwrap();
        assert!(service_worker(site.path()).unwrap_err().contains("no app"));
    }
}
