//! The authority a letter names (a refusal must say where the subject can
//! complain), from `assets/templates/authorities.toml`, in the letter's language.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::lang::Lang;

/// One authority, as each language writes it.
#[derive(serde::Deserialize)]
struct Names {
    en: String,
    de: String,
    fr: String,
}

impl Names {
    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
            Lang::Fr => &self.fr,
        }
    }
}

#[derive(serde::Deserialize)]
struct Table {
    regime: HashMap<String, Names>,
    jurisdiction: HashMap<String, Names>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str(include_str!("../../../../../assets/templates/authorities.toml"))
            .unwrap_or(Table { regime: HashMap::new(), jurisdiction: HashMap::new() })
    })
}

/// The authority for a request, in English (see [`for_request_in`]).
pub fn for_request(regime: &str, jurisdiction: &str) -> String {
    for_request_in(regime, jurisdiction, Lang::En)
}

/// The authority for a request in `lang`: the place's own where the regime has
/// one per place (EU Member States, UK nations), else the regime's.
pub fn for_request_in(regime: &str, jurisdiction: &str, lang: Lang) -> String {
    let t = table();
    let per_place = matches!(regime, "eu-gdpr" | "uk-gdpr");
    per_place
        .then(|| t.jurisdiction.get(jurisdiction))
        .flatten()
        .or_else(|| t.regime.get(regime))
        .map(|n| n.get(lang).to_string())
        .unwrap_or_else(|| {
            match lang {
                Lang::En => "the competent data protection supervisory authority",
                Lang::De => "die zuständige Datenschutzaufsichtsbehörde",
                Lang::Fr => "l'autorité de contrôle compétente en matière de protection des données",
            }
            .to_string()
        })
}

/// Every description in the table for `lang` (for the tests that check no
/// English description reaches a German or French letter).
pub fn all_in(lang: Lang) -> Vec<String> {
    let t = table();
    t.regime.values().chain(t.jurisdiction.values()).map(|n| n.get(lang).to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_regime_names_its_authority_in_every_language() {
        assert!(!table().regime.is_empty(), "authorities.toml parses");
        for id in crate::deadlines::regime_ids() {
            assert!(table().regime.contains_key(id), "no authority for {id}");
            for lang in Lang::ALL {
                assert!(!table().regime[id].get(lang).trim().is_empty(), "{id} ({lang})");
            }
        }
        assert!(for_request("eu-gdpr", "FR").contains("CNIL"));
        assert!(for_request("uk-gdpr", "GB-SCT").contains("ICO"));
        assert!(for_request("ccpa", "US-CA").contains("California Privacy Protection Agency"));
        assert!(for_request_in("eu-gdpr", "DE", Lang::De).contains("Ihres Landes"));
        assert!(for_request_in("ch-fadp", "CH", Lang::Fr).contains("Préposé fédéral"));
    }
}
