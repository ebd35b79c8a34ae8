//! The whole site's app: every page, on pages that start it when the visitor reaches for a
//! control, and on in-app navigation. The booking page and the self-check have their own,
//! smaller apps (src/bin/booking-app.rs, src/bin/self-check-app.rs).
use massage_core::pages::PageApp;

fn main() {
    console_error_panic_hook::set_once();
    massage_site::takeover::start::<true, _>(massage_site::App, PageApp::Site);
}
