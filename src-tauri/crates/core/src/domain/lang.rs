//! The languages letters are written in, and what changes with them: dates
//! ("23 November 2026", "23. November 2026", "23 novembre 2026") and the
//! names of request types.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::RequestType;
use crate::error::{Error, Result};

/// A letter's language, chosen per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::De, Lang::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
        }
    }

    pub fn parse(s: &str) -> Result<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| Error::invalid("lang", "is one of: en, de, fr"))
    }

    /// A sensible default for a request: German for DE/AT/CH-DE places, French for FR/BE/LU/CH/QC.
    pub fn for_jurisdiction(jurisdiction: &str) -> Lang {
        match jurisdiction {
            "DE" | "AT" | "LI" => Lang::De,
            "FR" | "LU" | "CA-QC" => Lang::Fr,
            _ => Lang::En,
        }
    }

    /// A date as written in a letter of this language.
    pub fn date(self, d: NaiveDate) -> String {
        const EN: [&str; 12] =
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        const DE: [&str; 12] =
            ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
        const FR: [&str; 12] =
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
        let m = d.month0() as usize;
        match self {
            Lang::En => format!("{} {} {}", d.day(), EN[m], d.year()),
            Lang::De => format!("{}. {} {}", d.day(), DE[m], d.year()),
            // French writes the first of the month as an ordinal: « 1er mars ».
            Lang::Fr if d.day() == 1 => format!("1er {} {}", FR[m], d.year()),
            Lang::Fr => format!("{} {} {}", d.day(), FR[m], d.year()),
        }
    }

    /// A number of days as a letter of this language writes it after "within"
    /// ("45 days", "45 Tagen" after „innerhalb von", "45 jours").
    pub fn days(self, n: u32) -> String {
        match (self, n) {
            (Lang::En, 1) => "1 day".into(),
            (Lang::En, n) => format!("{n} days"),
            (Lang::De, 1) => "1 Tag".into(),
            (Lang::De, n) => format!("{n} Tagen"),
            (Lang::Fr, 1) => "1 jour".into(),
            (Lang::Fr, n) => format!("{n} jours"),
        }
    }

    /// What the subject asked for, in words of this language.
    pub fn request_type(self, t: RequestType) -> &'static str {
        use RequestType::*;
        match (self, t) {
            (Lang::En, Access) => "access to your personal data",
            (Lang::En, Erasure) => "erasure of your personal data",
            (Lang::En, Rectification) => "rectification of your personal data",
            (Lang::En, Portability) => "a copy of your data in a portable format",
            (Lang::En, Restriction) => "restriction of processing",
            (Lang::En, Objection) => "objection to processing",
            (Lang::En, OptOutSaleSharing) => "opting out of the sale or sharing of your personal information",
            (Lang::En, LimitSensitive) => "limiting the use of your sensitive personal information",
            (Lang::En, Appeal) => "an appeal of our decision",
            (Lang::En, Complaint) => "your complaint about how we use your personal data",
            (Lang::En, Other) => "your data protection request",
            (Lang::De, Access) => "Auskunft über Ihre personenbezogenen Daten",
            (Lang::De, Erasure) => "Löschung Ihrer personenbezogenen Daten",
            (Lang::De, Rectification) => "Berichtigung Ihrer personenbezogenen Daten",
            (Lang::De, Portability) => "Herausgabe Ihrer Daten in einem übertragbaren Format",
            (Lang::De, Restriction) => "Einschränkung der Verarbeitung",
            (Lang::De, Objection) => "Widerspruch gegen die Verarbeitung",
            (Lang::De, OptOutSaleSharing) => "Widerspruch gegen Verkauf oder Weitergabe Ihrer Daten",
            (Lang::De, LimitSensitive) => "Beschränkung der Nutzung sensibler Daten",
            (Lang::De, Appeal) => "Überprüfung unserer Entscheidung",
            (Lang::De, Complaint) => "Beschwerde über den Umgang mit Ihren Daten",
            (Lang::De, Other) => "Ihr datenschutzrechtliches Anliegen",
            (Lang::Fr, Access) => "l'accès à vos données personnelles",
            (Lang::Fr, Erasure) => "l'effacement de vos données personnelles",
            (Lang::Fr, Rectification) => "la rectification de vos données personnelles",
            (Lang::Fr, Portability) => "la portabilité de vos données",
            (Lang::Fr, Restriction) => "la limitation du traitement",
            (Lang::Fr, Objection) => "l'opposition au traitement",
            (Lang::Fr, OptOutSaleSharing) => "l'opposition à la vente ou au partage de vos données",
            (Lang::Fr, LimitSensitive) => "la limitation de l'usage de vos données sensibles",
            (Lang::Fr, Appeal) => "le réexamen de notre décision",
            (Lang::Fr, Complaint) => "votre réclamation concernant vos données",
            (Lang::Fr, Other) => "votre demande relative à vos données",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        let d: NaiveDate = "2026-03-01".parse().unwrap();
        assert_eq!(Lang::En.date(d), "1 March 2026");
        assert_eq!(Lang::De.date(d), "1. März 2026");
        assert_eq!(Lang::Fr.date(d), "1er mars 2026");
        let d: NaiveDate = "2026-08-23".parse().unwrap();
        assert_eq!(Lang::Fr.date(d), "23 août 2026");
    }
}
