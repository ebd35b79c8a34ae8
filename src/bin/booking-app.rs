//! The booking page's app (`massage_core::pages::PageApp::Booking`): the form and the
//! outbox, without the article library, so the page a visitor came to use arrives in fewer
//! bytes. Built by Trunk beside the site's app (index.html).
use massage_core::pages::PageApp;

fn main() {
    console_error_panic_hook::set_once();
    massage_site::takeover::start::<false, _>(massage_site::app::BookingApp, PageApp::Booking);
}
