// Dates typed and read in the language of the interface, never the system's
// regional format: DD.MM.YYYY in German, DD/MM/YYYY in French, "10 Feb 2025"
// in English (a numeric 02/10/2025 is refused there: 2 October or 10 February?).
// ISO `2025-02-10` and a day, month name and year ("2. Oktober 2025",
// "2 oct. 2025") are accepted in every language. The value the core receives
// stays ISO `YYYY-MM-DD`. Two-digit years are refused, never guessed.
import { formatMessage, type Params } from "./format";

export type DateLanguage = "en" | "de" | "fr";

export type DateParse =
  { kind: "empty" } | { kind: "ok"; iso: string } | { kind: "error"; reason: "format" | "impossible" | "year" | "ambiguous" };

const EN_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Month names of the three languages, without accents or dots, lower case.
// No name means two months (mai = May in German and French alike).
const MONTHS: Record<string, number> = {};
const NAMES: string[][] = [
  ["january", "jan", "januar", "janvier", "janv", "jaenner", "janner"],
  ["february", "feb", "februar", "fevrier", "fevr", "fev"],
  ["march", "mar", "marz", "maerz", "mrz", "mars"],
  ["april", "apr", "avril", "avr"],
  ["may", "mai"],
  ["june", "jun", "juni", "juin"],
  ["july", "jul", "juli", "juillet", "juil"],
  ["august", "aug", "aout"],
  ["september", "sep", "sept", "septembre"],
  ["october", "oct", "oktober", "okt", "octobre"],
  ["november", "nov", "novembre"],
  ["december", "dec", "dezember", "dez", "decembre"],
];
NAMES.forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(year: string, month: number, day: number): DateParse {
  if (year.length !== 4) return { kind: "error", reason: "year" };
  const y = Number(year);
  if (y < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) return { kind: "error", reason: "impossible" };
  return { kind: "ok", iso: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
}

/** Reads a date typed in `language`; see the module's comment for what is accepted. */
export function parseDate(text: string, language: DateLanguage): DateParse {
  const s = text.trim().replace(/\s+/g, " ");
  if (s === "") return { kind: "empty" };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return build(m[1], Number(m[2]), Number(m[3]));
  // Numbers only: day, month, year, in the language's own order and separator.
  m = /^(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d+)$/.exec(s);
  if (m) {
    const [, day, sep, month, year] = m;
    if (language === "en") return { kind: "error", reason: "ambiguous" };
    const own = language === "de" ? "." : "/";
    if (sep !== own && !(language === "fr" && sep === ".")) return { kind: "error", reason: "format" };
    return build(year, Number(month), Number(day));
  }
  // Day, month name, year: "2 Oct 2025", "2. Oktober 2025", "2 octobre 2025", "1er mars 2025".
  m = /^(\d{1,2})(?:\.|er)?,? ([\p{L}]+\.?),? (\d+)$/u.exec(s);
  if (m) {
    const month = MONTHS[fold(m[2])];
    return month ? build(m[3], month, Number(m[1])) : { kind: "error", reason: "format" };
  }
  // Month name, day, year: "Oct 2, 2025".
  m = /^([\p{L}]+\.?) (\d{1,2}),? (\d+)$/u.exec(s);
  if (m) {
    const month = MONTHS[fold(m[1])];
    return month ? build(m[3], month, Number(m[2])) : { kind: "error", reason: "format" };
  }
  return { kind: "error", reason: "format" };
}

/** An ISO date as the officer types it in `language`: "10.02.2025", "10/02/2025", "10 Feb 2025". */
export function formatDateInput(iso: string | null | undefined, language: DateLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!m) return iso ?? "";
  const [, y, mo, d] = m;
  if (language === "de") return `${d}.${mo}.${y}`;
  if (language === "fr") return `${d}/${mo}/${y}`;
  return `${Number(d)} ${EN_SHORT[Number(mo) - 1]} ${y}`;
}

/** An ISO date in words with its weekday: "Monday, 10 February 2025", "Montag, 10. Februar 2025", "lundi 10 février 2025". */
export function formatDateWords(iso: string, language: DateLanguage, locale: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  // A bare "en" has no region; British order keeps the day first, as typed.
  const loc =
    locale.toLowerCase().split(/[-_]/)[0] === language ? (locale === "en" ? "en-GB" : locale) : language === "en" ? "en-GB" : language;
  return new Intl.DateTimeFormat(loc, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(d);
}

const messages = {
  en: {
    hint: "e.g. 10 Feb 2025",
    format: "{field}: “{text}” is not a date. Write it as 10 Feb 2025 or 2025-02-10.",
    impossible: "{field}: {text} is not a day of the calendar.",
    year: "{field}: write the year with four digits (“{text}”).",
    ambiguous: "{field}: “{text}” could be read two ways. Write the month in letters (2 Oct 2025) or 2025-10-02.",
  },
  de: {
    hint: "TT.MM.JJJJ",
    format: "{field}: „{text}“ ist kein Datum. Bitte als TT.MM.JJJJ schreiben, z. B. 10.02.2025.",
    impossible: "{field}: Den {text} gibt es im Kalender nicht.",
    year: "{field}: Bitte das Jahr vierstellig schreiben („{text}“).",
    ambiguous: "{field}: „{text}“ ist mehrdeutig. Bitte als TT.MM.JJJJ schreiben.",
  },
  fr: {
    hint: "JJ/MM/AAAA",
    format: "{field} : « {text} » n’est pas une date. Écrivez-la JJ/MM/AAAA, par exemple 10/02/2025.",
    impossible: "{field} : le {text} n’existe pas dans le calendrier.",
    year: "{field} : écrivez l’année sur quatre chiffres (« {text} »).",
    ambiguous: "{field} : « {text} » peut se lire de deux façons. Écrivez-la JJ/MM/AAAA.",
  },
} as const satisfies Record<DateLanguage, Record<string, string>>;

export type DateMessage = keyof (typeof messages)["en"];
export const dateMessages: Record<DateLanguage, Record<DateMessage, string>> = messages;

export function dateMessage(language: DateLanguage, key: DateMessage, params: Params, locale: string): string {
  return formatMessage(dateMessages[language][key], params, locale);
}
