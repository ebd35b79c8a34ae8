//! Reads and checks the content files when the app is compiled, so a broken file fails the
//! build with a message naming the file and line instead of reaching a visitor. The app gets
//! the already-validated data as JSON (it carries no TOML parser).
//!
//! - content/services.toml → services.json
//! - content/self-check.toml → self-check.json
//!
//! The articles are not compiled in (site-build publishes them as static files), so they are
//! not read here either: an edited article rebuilds no wasm. Whether the self-check's links
//! point at sections that exist is checked by site-build, which every content build runs.

use massage_core::ContentError;
use massage_core::booking::endpoint::EndpointKind;
use massage_core::self_check::rules;
use massage_core::services::Catalog;
use std::path::Path;

fn main() {
    for path in ["content/services.toml", "content/self-check.toml"] {
        println!("cargo:rerun-if-changed={path}");
    }
    // Where and how booking requests are sent is decided when the site is built.
    println!("cargo:rerun-if-env-changed=BOOKING_ENDPOINT");
    println!("cargo:rerun-if-env-changed=BOOKING_ENDPOINT_KIND");
    let kind = std::env::var("BOOKING_ENDPOINT_KIND").unwrap_or_default();
    let kind = EndpointKind::parse(&kind).unwrap_or_else(|e| fail(&e));
    println!("cargo:rustc-env=BOOKING_ENDPOINT_KIND={}", kind.as_str());

    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);

    let catalog = load("content/services.toml", Catalog::from_toml);
    write(out, "services.json", &serde_json::to_string(&catalog));

    // Every link is taken as pointing somewhere here; site-build checks them against the
    // articles (`rules::check_links`).
    let (rules, _cases) = load("content/self-check.toml", |file, text| {
        rules::load(file, text, |_, _| true)
    });
    write(out, "self-check.json", &serde_json::to_string(&rules));
}

fn load<T>(file: &str, parse: impl Fn(&str, &str) -> Result<T, ContentError>) -> T {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
    parse(file, &text).unwrap_or_else(|e| fail(&e.to_string()))
}

fn write(out: &Path, name: &str, json: &serde_json::Result<String>) {
    let json = json.as_ref().expect("content serialises to JSON");
    std::fs::write(out.join(name), json).unwrap_or_else(|e| fail(&format!("writing {name}: {e}")));
}

fn fail(message: &str) -> ! {
    // cargo shows build-script stderr when it fails; `error:` makes it stand out.
    eprintln!("error: {message}");
    std::process::exit(1)
}
