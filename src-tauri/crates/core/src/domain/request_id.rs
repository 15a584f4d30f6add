//! [`RequestId`]: the name of one request where a function also takes other
//! strings (an actor, a reason, a date), so that they cannot be swapped
//! unnoticed: `change_status(db, clock, &id, to, Some(reason), actor)` does
//! not compile with `reason` and `id` the other way round.

use std::fmt;

/// Names one request: its id (a UUIDv7), or, where a person typed it (the
/// CLI, a script), its reference such as `DSR-2026-0001`. The core resolves
/// either ([`crate::requests::rows::get`]). On the wire it is a plain string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct RequestId(String);

impl RequestId {
    pub fn new(id: impl Into<String>) -> Self {
        RequestId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for RequestId {
    fn from(id: String) -> Self {
        RequestId(id)
    }
}

impl From<&String> for RequestId {
    fn from(id: &String) -> Self {
        RequestId(id.clone())
    }
}

impl From<&str> for RequestId {
    fn from(id: &str) -> Self {
        RequestId(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::RequestId;

    #[test]
    fn a_request_id_is_a_plain_string_on_the_wire() {
        let id = RequestId::from("DSR-2026-0001");
        assert_eq!(serde_json::to_value(&id).unwrap(), serde_json::json!("DSR-2026-0001"));
        assert_eq!(serde_json::from_value::<RequestId>(serde_json::json!("DSR-2026-0001")).unwrap(), id);
        assert_eq!((id.as_str(), id.to_string()), ("DSR-2026-0001", "DSR-2026-0001".to_string()));
    }
}
