//! Public-holiday calendars: which days a deadline rolls over.
//!
//! Holidays are computed by rule (fixed dates, Easter-based feasts, n-th
//! weekdays, substitute days) from the tables in the sibling files; only
//! Singapore, whose holidays follow lunar and religious calendars (`sg.rs`),
//! the Spanish autonomous communities, whose holidays a yearly resolution sets
//! (`es_regions.rs`), and the Australian states and territories
//! (`au_states.rs`) are data tables. The calendars are cross-checked against the PyPI
//! `holidays` package by `tests/deadline_holidays_crosscheck.rs`.

mod americas;
mod au_states;
mod es_regions;
mod europe;
mod others;
mod regions;
pub(crate) mod rule;
mod sg;
mod uk;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use rule::Rule;

/// The years for which the calendars are maintained and cross-checked.
pub const FIRST_YEAR: i32 = 2015;
pub const LAST_YEAR: i32 = 2040;

/// A public holiday, as `rightsdesk holidays` and the what-if panel list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    /// Announced but not yet proclaimed (e.g. an election day): counted, and marked in its name.
    pub expected: bool,
}

enum Source {
    Rules(&'static [Rule]),
    Japan,
    Singapore,
    /// A generated table of (year, month, day, name).
    Table(&'static [(i32, u32, u32, &'static str)]),
}

const fn table(code: &'static str, name: &'static str, rows: &'static [(i32, u32, u32, &'static str)]) -> CalendarDef {
    CalendarDef { code, name, source: Source::Table(rows) }
}

struct CalendarDef {
    code: &'static str,
    name: &'static str,
    source: Source,
}

const fn cal(code: &'static str, name: &'static str, rules: &'static [Rule]) -> CalendarDef {
    CalendarDef { code, name, source: Source::Rules(rules) }
}

const CALENDARS: &[CalendarDef] = &[
    cal("AT", "Austria", europe::AT),
    // Austrian Länder: the Feiertagsruhegesetz 1957 applies in all; a Land patron saint's day is no statutory rest day.
    cal("AT-1", "Burgenland", europe::AT),
    cal("AT-2", "Carinthia", europe::AT),
    cal("AT-3", "Lower Austria", europe::AT),
    cal("AT-4", "Upper Austria", europe::AT),
    cal("AT-5", "Salzburg", europe::AT),
    cal("AT-6", "Styria", europe::AT),
    cal("AT-7", "Tyrol", europe::AT),
    cal("AT-8", "Vorarlberg", europe::AT),
    cal("AT-9", "Vienna", europe::AT),
    cal("BE", "Belgium", europe::BE),
    cal("BG", "Bulgaria", europe::BG),
    cal("HR", "Croatia", europe::HR),
    cal("CY", "Cyprus", europe::CY),
    cal("CZ", "Czechia", europe::CZ),
    cal("DK", "Denmark", europe::DK),
    cal("EE", "Estonia", europe::EE),
    cal("FI", "Finland", europe::FI),
    cal("FR", "France", europe::FR),
    cal("DE", "Germany", europe::DE),
    cal("DE-BW", "Baden-Württemberg", regions::DE_BW),
    cal("DE-BY", "Bavaria", regions::DE_BY),
    cal("DE-BE", "Berlin", regions::DE_BE),
    cal("DE-BB", "Brandenburg", regions::DE_BB),
    cal("DE-HB", "Bremen", regions::DE_HB),
    cal("DE-HH", "Hamburg", regions::DE_HH),
    cal("DE-HE", "Hesse", regions::DE_HE),
    cal("DE-MV", "Mecklenburg-Western Pomerania", regions::DE_MV),
    cal("DE-NI", "Lower Saxony", regions::DE_NI),
    cal("DE-NW", "North Rhine-Westphalia", regions::DE_NW),
    cal("DE-RP", "Rhineland-Palatinate", regions::DE_RP),
    cal("DE-SL", "Saarland", regions::DE_SL),
    cal("DE-SN", "Saxony", regions::DE_SN),
    cal("DE-ST", "Saxony-Anhalt", regions::DE_ST),
    cal("DE-SH", "Schleswig-Holstein", regions::DE_SH),
    cal("DE-TH", "Thuringia", regions::DE_TH),
    cal("GR", "Greece", europe::GR),
    cal("HU", "Hungary", europe::HU),
    cal("IE", "Ireland", europe::IE),
    cal("IT", "Italy", europe::IT),
    cal("LV", "Latvia", europe::LV),
    cal("LT", "Lithuania", europe::LT),
    cal("LU", "Luxembourg", europe::LU),
    cal("MT", "Malta", europe::MT),
    cal("NL", "Netherlands", europe::NL),
    cal("PL", "Poland", europe::PL),
    cal("PT", "Portugal", europe::PT),
    cal("RO", "Romania", europe::RO),
    cal("SK", "Slovakia", europe::SK),
    cal("SI", "Slovenia", europe::SI),
    cal("ES", "Spain", europe::ES),
    table("ES-AN", "Andalusia", es_regions::ES_AN),
    table("ES-AR", "Aragon", es_regions::ES_AR),
    table("ES-AS", "Asturias", es_regions::ES_AS),
    table("ES-CB", "Cantabria", es_regions::ES_CB),
    table("ES-CE", "Ceuta", es_regions::ES_CE),
    table("ES-CL", "Castile and León", es_regions::ES_CL),
    table("ES-CM", "Castilla-La Mancha", es_regions::ES_CM),
    table("ES-CN", "Canary Islands", es_regions::ES_CN),
    table("ES-CT", "Catalonia", es_regions::ES_CT),
    table("ES-EX", "Extremadura", es_regions::ES_EX),
    table("ES-GA", "Galicia", es_regions::ES_GA),
    table("ES-IB", "Balearic Islands", es_regions::ES_IB),
    table("ES-MC", "Murcia", es_regions::ES_MC),
    table("ES-MD", "Madrid", es_regions::ES_MD),
    table("ES-ML", "Melilla", es_regions::ES_ML),
    table("ES-NC", "Navarre", es_regions::ES_NC),
    table("ES-PV", "Basque Country", es_regions::ES_PV),
    table("ES-RI", "La Rioja", es_regions::ES_RI),
    table("ES-VC", "Valencian Community", es_regions::ES_VC),
    cal("SE", "Sweden", europe::SE),
    cal("CH", "Switzerland", europe::CH),
    cal("CH-AG", "Aargau", regions::CH_AG),
    cal("CH-AI", "Appenzell Innerrhoden", regions::CH_AI),
    cal("CH-AR", "Appenzell Ausserrhoden", regions::CH_AR),
    cal("CH-BE", "Bern", regions::CH_BE),
    cal("CH-BL", "Basel-Landschaft", regions::CH_BL),
    cal("CH-BS", "Basel-Stadt", regions::CH_BS),
    cal("CH-FR", "Fribourg", regions::CH_FR),
    cal("CH-GE", "Geneva", regions::CH_GE),
    cal("CH-GL", "Glarus", regions::CH_GL),
    cal("CH-GR", "Graubünden", regions::CH_GR),
    cal("CH-JU", "Jura", regions::CH_JU),
    cal("CH-LU", "Lucerne", regions::CH_LU),
    cal("CH-NE", "Neuchâtel", regions::CH_NE),
    cal("CH-NW", "Nidwalden", regions::CH_NW),
    cal("CH-OW", "Obwalden", regions::CH_OW),
    cal("CH-SG", "St. Gallen", regions::CH_SG),
    cal("CH-SH", "Schaffhausen", regions::CH_SH),
    cal("CH-SO", "Solothurn", regions::CH_SO),
    cal("CH-SZ", "Schwyz", regions::CH_SZ),
    cal("CH-TG", "Thurgau", regions::CH_TG),
    cal("CH-TI", "Ticino", regions::CH_TI),
    cal("CH-UR", "Uri", regions::CH_UR),
    cal("CH-VD", "Vaud", regions::CH_VD),
    cal("CH-VS", "Valais", regions::CH_VS),
    cal("CH-ZG", "Zug", regions::CH_ZG),
    cal("CH-ZH", "Zurich", regions::CH_ZH),
    cal("NO", "Norway", regions::NO),
    cal("IS", "Iceland", regions::IS),
    cal("LI", "Liechtenstein", regions::LI),
    cal("GB-ENG", "England", uk::ENG),
    cal("GB-WLS", "Wales", uk::ENG),
    cal("GB-SCT", "Scotland", uk::SCT),
    cal("GB-NIR", "Northern Ireland", uk::NIR),
    cal("US", "United States (federal)", americas::US),
    cal("US-CA", "California", americas::US_CA),
    cal("CA", "Canada (federal)", americas::CA),
    cal("CA-QC", "Québec", americas::CA_QC),
    cal("CA-AB", "Alberta", regions::CA_AB),
    cal("CA-BC", "British Columbia", regions::CA_BC),
    cal("CA-MB", "Manitoba", regions::CA_MB),
    cal("CA-NB", "New Brunswick", regions::CA_NB),
    cal("CA-NL", "Newfoundland and Labrador", regions::CA_NL),
    cal("CA-NS", "Nova Scotia", regions::CA_NS),
    cal("CA-NT", "Northwest Territories", regions::CA_NT),
    cal("CA-NU", "Nunavut", regions::CA_NU),
    cal("CA-ON", "Ontario", regions::CA_ON),
    cal("CA-PE", "Prince Edward Island", regions::CA_PE),
    cal("CA-SK", "Saskatchewan", regions::CA_SK),
    cal("CA-YT", "Yukon", regions::CA_YT),
    cal("BR", "Brazil", americas::BR),
    cal("ZA", "South Africa", others::ZA),
    cal("AU", "Australia", others::AU),
    table("AU-ACT", "Australian Capital Territory", au_states::AU_ACT),
    table("AU-NSW", "New South Wales", au_states::AU_NSW),
    table("AU-NT", "Northern Territory", au_states::AU_NT),
    table("AU-QLD", "Queensland", au_states::AU_QLD),
    table("AU-SA", "South Australia", au_states::AU_SA),
    table("AU-TAS", "Tasmania", au_states::AU_TAS),
    table("AU-VIC", "Victoria", au_states::AU_VIC),
    table("AU-WA", "Western Australia", au_states::AU_WA),
    CalendarDef { code: "SG", name: "Singapore", source: Source::Singapore },
    CalendarDef { code: "JP", name: "Japan", source: Source::Japan },
];

/// The jurisdiction codes that have a holiday calendar, with their names.
pub fn calendar_codes() -> Vec<(&'static str, &'static str)> {
    CALENDARS.iter().map(|c| (c.code, c.name)).collect()
}

/// Whether `code` has a calendar of its own.
pub fn has_calendar(code: &str) -> bool {
    CALENDARS.iter().any(|c| c.code == code)
}

/// The public holidays of a jurisdiction in a year, sorted, one entry per date
/// (names joined with "; " when two holidays share a day).
pub fn holidays(jurisdiction: &str, year: i32) -> Result<Vec<(NaiveDate, String)>> {
    let def = CALENDARS.iter().find(|c| c.code == jurisdiction).ok_or_else(|| {
        let known: Vec<&str> = CALENDARS.iter().map(|c| c.code).collect();
        Error::invalid("jurisdiction", format!("has no holiday calendar (one of: {})", known.join(", ")))
    })?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(Error::invalid("year", format!("holiday calendars are maintained for {FIRST_YEAR}–{LAST_YEAR} only")));
    }
    Ok(expand(def, year).as_ref().clone())
}

/// A calendar's year, expanded once per process: the calendars are compiled
/// in, so a year's holidays never change while the program runs, and the
/// engine asks for the same few years at every registration (an import of
/// 100,000 rows asked 300,000 times).
fn expand(def: &CalendarDef, year: i32) -> std::sync::Arc<Vec<(NaiveDate, String)>> {
    type Years = std::collections::HashMap<(&'static str, i32), std::sync::Arc<Vec<(NaiveDate, String)>>>;
    static EXPANDED: std::sync::OnceLock<std::sync::Mutex<Years>> = std::sync::OnceLock::new();
    let cache = EXPANDED.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked mid-insert of a
    // complete value: the map is still sound.
    if let Some(hit) = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&(def.code, year)) {
        return hit.clone();
    }
    let list = std::sync::Arc::new(expand_uncached(def, year));
    cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert((def.code, year), list.clone());
    list
}

fn expand_uncached(def: &CalendarDef, year: i32) -> Vec<(NaiveDate, String)> {
    match def.source {
        Source::Rules(rules) => rule::expand(rules, year),
        Source::Japan => {
            let mut list = rule::expand(others::JP, year);
            others::jp_citizens_holidays(&mut list);
            list
        }
        Source::Singapore => from_table(sg::TABLE, year),
        Source::Table(rows) => from_table(rows, year),
    }
}

/// A table's rows of one year (sorted, one row per date, as generated).
fn from_table(rows: &[(i32, u32, u32, &str)], year: i32) -> Vec<(NaiveDate, String)> {
    rows.iter()
        .filter(|(y, ..)| *y == year)
        .filter_map(|&(y, m, d, name)| Some((NaiveDate::from_ymd_opt(y, m, d)?, name.to_string())))
        .collect()
}

/// A jurisdiction's holidays as a set for fast look-up, over a range of years.
#[derive(Debug, Clone)]
pub(crate) struct HolidaySet {
    dates: std::collections::BTreeMap<NaiveDate, String>,
}

impl HolidaySet {
    /// Loads the calendar for every year the engine may need around `around`.
    /// Years outside the maintained range are simply empty (a warning is the caller's job).
    pub fn load(code: &str, years: std::ops::RangeInclusive<i32>) -> Result<Self> {
        let def = CALENDARS
            .iter()
            .find(|c| c.code == code)
            .ok_or_else(|| Error::invalid("jurisdiction", format!("{code} has no holiday calendar")))?;
        let mut dates = std::collections::BTreeMap::new();
        for y in years {
            if (FIRST_YEAR..=LAST_YEAR).contains(&y) {
                dates.extend(expand(def, y).iter().cloned());
            }
        }
        Ok(HolidaySet { dates })
    }

    pub fn name_of(&self, date: NaiveDate) -> Option<&str> {
        self.dates.get(&date).map(String::as_str)
    }

    pub fn covers(date: NaiveDate) -> bool {
        (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
    }
}
