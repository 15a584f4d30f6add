//! The domain: what a data-subject request is, independent of storage and UI.

mod request;
mod status;
mod validate;

pub use request::*;
pub use status::Status;
pub use validate::*;
