//! One module per route.

pub mod article;
pub mod book;
pub mod home;
pub mod library;
pub mod not_found;
pub mod offline;
pub mod privacy;
pub mod self_check;
pub mod services;
