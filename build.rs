//! Reads and checks the content files when the app is compiled, so a broken file fails the
//! build with a message naming the file and line instead of reaching a visitor. The app gets
//! the already-validated data as JSON (it carries no TOML parser).

use massage_core::services::Catalog;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=content/services.toml");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let catalog = load("content/services.toml", Catalog::from_toml);
    let json = serde_json::to_string(&catalog).expect("the catalog serialises");
    std::fs::write(Path::new(&out).join("services.json"), json).expect("write services.json");
}

fn load<T>(file: &str, parse: impl Fn(&str, &str) -> Result<T, massage_core::ContentError>) -> T {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
    parse(file, &text).unwrap_or_else(|e| fail(&e.to_string()))
}

fn fail(message: &str) -> ! {
    // cargo shows build-script stderr when it fails; `error:` makes it stand out.
    eprintln!("error: {message}");
    std::process::exit(1)
}
