// Rendering to HTML natively (feature `ssr`) nests the views' types deeper than the default limit.
#![recursion_limit = "256"]
//! The practice's website: a thin Leptos UI over `massage-core`. One module per page in
//! `pages/`, shared pieces of the layout in `components/`, build-time data in `content`.

pub mod app;
pub mod booking;
pub mod components;
pub mod content;
pub mod dom;
pub mod library_client;
pub mod pages;
pub mod state;
pub mod storage;
pub mod takeover;

pub use app::App;
