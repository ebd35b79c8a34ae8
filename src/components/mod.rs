//! Pieces shared by several pages.

pub mod article_card;
pub mod layout;
pub mod page_meta;
pub mod status;
