//! What the app keeps about the visitor between pages, below the pages and components that
//! show it (arrows run app -> pages -> components -> state -> core). Booking drafts and the
//! outbox are in `crate::booking`.

pub mod address;
pub mod self_check;
