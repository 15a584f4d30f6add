//! The IPC error shape: `{ code, message, field }`. The UI branches on `code`,
//! shows `message`, and puts it beside the form control named by `field`.

use rightsdesk_core::Error;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// A closed set: not_found, invalid, invalid_transition, schema_too_new, open_failed, database, io, internal,
    /// and not_chosen (a path the officer did not pick in the app's file dialog; see grants.rs).
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError { code: e.code().to_string(), message: e.to_string(), field: e.field().map(str::to_string) }
    }
}

impl IpcError {
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError { code: "internal".into(), message: message.into(), field: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_reaches_the_ui_as_code_message_and_field() {
        let e = IpcError::from(Error::invalid("email", "is not a valid email address"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({ "code": "invalid", "message": "email: is not a valid email address", "field": "email" }));
    }
}
