//! The IPC error shape: `{ code, message, field }`. The UI branches on `code`,
//! shows `message`, and puts it beside the form control named by `field`.

use rightsdesk_core::error::ErrorCode;
use rightsdesk_core::Error;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// One closed set (`ErrorCode` in the bindings): the core's codes and the shell's own
    /// (`locked`, `not_chosen`), documented on [`ErrorCode`].
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError { code: e.code(), message: e.to_string(), field: e.field().map(str::to_string) }
    }
}

impl IpcError {
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError { code: ErrorCode::Internal, message: message.into(), field: None }
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

    #[test]
    fn every_error_code_crosses_ipc_as_its_documented_string_and_back() {
        let documented = [
            "not_found",
            "invalid",
            "invalid_transition",
            "schema_too_new",
            "schema_too_old",
            "open_failed",
            "key_unavailable",
            "wrong_key",
            "not_encrypted",
            "in_use",
            "corrupt",
            "database",
            "io",
            "internal",
            "locked",
            "not_chosen",
            "conflict",
        ];
        assert_eq!(ErrorCode::ALL.len(), documented.len());
        for (code, wire) in ErrorCode::ALL.into_iter().zip(documented) {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(wire));
            assert_eq!(code.as_str(), wire);
            assert_eq!(serde_json::from_value::<ErrorCode>(serde_json::json!(wire)).unwrap(), code);
        }
    }

    #[test]
    fn the_shells_own_errors_carry_their_codes() {
        assert_eq!(serde_json::to_value(IpcError::internal("x")).unwrap()["code"], "internal");
        assert_eq!(serde_json::to_value(crate::grants::not_chosen("out")).unwrap()["code"], "not_chosen");
    }
}
