//! The self-check's app (`massage_core::pages::PageApp::SelfCheck`): its steps and result,
//! without the library's pages and search. Built by Trunk beside the site's app (index.html).
use massage_core::pages::PageApp;

fn main() {
    console_error_panic_hook::set_once();
    massage_site::takeover::start::<true, _>(massage_site::app::SelfCheckApp, PageApp::SelfCheck);
}
