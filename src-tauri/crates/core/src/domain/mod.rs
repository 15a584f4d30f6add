//! The domain: what a data-subject request is, independent of storage and UI.

pub mod deadline;
mod event;
pub mod lang;
mod request;
mod request_id;
mod status;
mod text;

pub use event::EventKind;
pub use lang::Lang;
pub use request::*;
pub use request_id::RequestId;
pub(crate) use status::closed_sql;
pub use status::{closed_sql_of, Status, CLOSED_SQL};
pub use text::*;
