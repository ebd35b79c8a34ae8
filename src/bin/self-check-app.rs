//! The self-check's app (`massage_core::pages::PageApp::SelfCheck`): its steps and result,
//! without the article library and without the outbox (`public/start.js` starts the whole
//! site's app instead when a booking request waits on the phone). Built by Trunk beside the
//! site's app (index.html).
use massage_core::pages::PageApp;

fn main() {
    console_error_panic_hook::set_once();
    massage_site::takeover::start::<false, _>(massage_site::app::SelfCheckApp, PageApp::SelfCheck);
}
