//! The domain: what a data-subject request is, independent of storage and UI.

pub mod deadline;
pub mod lang;
mod request;
mod status;
mod text;

pub use lang::Lang;
pub use request::*;
pub use status::Status;
pub use text::*;
