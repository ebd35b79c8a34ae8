//! The practice's pure logic, shared by the web app (compiled to wasm), the build tools and
//! the booking receiver. Nothing here touches the DOM, the network or the clock, so all of
//! it is tested natively with `cargo test`.

#![warn(missing_docs)]

pub mod articles;
pub mod booking;
pub mod calendar;
pub mod clock;
#[cfg(feature = "content")]
pub mod content_error;
pub mod diary;
#[cfg(feature = "html")]
pub mod inline_style;
pub mod pages;
pub mod self_check;
pub mod services;
#[cfg(not(target_arch = "wasm32"))]
pub mod site_files;
#[cfg(feature = "html")]
pub mod site_html;
pub mod site_policy;

#[cfg(feature = "content")]
pub use content_error::ContentError;
