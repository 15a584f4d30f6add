//! The supervisory authority a letter names (a refusal must say where the subject
//! can complain), from `assets/templates/authorities.toml`.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(serde::Deserialize)]
struct Table {
    regime: HashMap<String, String>,
    jurisdiction: HashMap<String, String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str(include_str!("../../../../../assets/templates/authorities.toml"))
            .unwrap_or(Table { regime: HashMap::new(), jurisdiction: HashMap::new() })
    })
}

/// The authority for a request: the place's own where the regime has one per place
/// (EU Member States, UK nations), else the regime's.
pub fn for_request(regime: &str, jurisdiction: &str) -> String {
    let t = table();
    let per_place = matches!(regime, "eu-gdpr" | "uk-gdpr");
    per_place
        .then(|| t.jurisdiction.get(jurisdiction))
        .flatten()
        .or_else(|| t.regime.get(regime))
        .cloned()
        .unwrap_or_else(|| "the competent data protection supervisory authority".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_regime_names_its_authority() {
        assert!(!table().regime.is_empty(), "authorities.toml parses");
        for id in crate::deadline::regime_ids() {
            assert!(table().regime.contains_key(id), "no authority for {id}");
        }
        assert!(for_request("eu-gdpr", "FR").contains("CNIL"));
        assert!(for_request("uk-gdpr", "GB-SCT").contains("ICO"));
        assert!(for_request("ccpa", "US-CA").contains("California Privacy Protection Agency"));
    }
}
