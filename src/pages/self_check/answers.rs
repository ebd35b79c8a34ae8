//! The stored answers moved to `crate::state::self_check`; this alias stays only until the
//! booking form (being split) reads them there.

pub(crate) use crate::state::self_check::{clear, load, save};
