// The interface language: English, German, French. The choice is the
// RIGHTSDESK_LANG override, else the officer's choice (kept in this window's
// storage), else the system language, else English. Dates and numbers follow
// the system locale when it speaks the chosen language (de-AT, fr-CH ...).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { de } from "./de";
import { en, type MessageKey, type Messages } from "./en";
import { fr } from "./fr";
import {
  formatDate,
  formatInstant,
  formatMessage,
  formatMonth,
  formatNumber,
  formatPercent,
  formatWeekdayDate,
  type Params,
} from "./format";

export type Language = "en" | "de" | "fr";
export const LANGUAGES: { value: Language; label: string }[] = [
  { value: "en", label: "English" },
  { value: "de", label: "Deutsch" },
  { value: "fr", label: "Français" },
];
export const DICTIONARIES: Record<Language, Messages> = { en, de, fr };
const STORAGE_KEY = "rightsdesk.language";

export function pickLanguage(override: string | null, stored: string | null, system: readonly string[]): Language {
  const known = (v: string | null | undefined): Language | null => {
    const base = (v ?? "").toLowerCase().split(/[-_]/)[0];
    return base === "en" || base === "de" || base === "fr" ? base : null;
  };
  return known(override) ?? known(stored) ?? system.map(known).find((l) => l !== null) ?? "en";
}

/** The locale for Intl: the system's own when it speaks `language`, else the language itself. */
export function localeFor(language: Language, system: readonly string[]): string {
  return system.find((l) => l.toLowerCase().split(/[-_]/)[0] === language) ?? language;
}

export type LabelGroup = "type" | "status" | "channel" | "clock" | "event" | "regime" | "step" | "purger" | "template" | "sysrole";

export type I18n = {
  language: Language;
  locale: string;
  setLanguage: (l: Language) => void;
  t: (key: MessageKey, params?: Params) => string;
  date: (d: string | null | undefined) => string;
  /** A core date with its weekday ("Fri, 28 Feb 2025"). */
  weekday: (d: string | null | undefined) => string;
  /** An instant (RFC 3339), such as a timeline entry's time. */
  instant: (at: string | null | undefined) => string;
  /**
   * The label of a value the core owns (a request type, status, channel, clock or
   * timeline event kind, law), in the interface language; the core's own label
   * (or the value) when this version has none.
   */
  label: (group: LabelGroup, value: string, fallback?: string) => string;
  /** A jurisdiction's name: a country code by the platform's names in the locale, else the core's name. */
  jurisdiction: (code: string, fallback: string) => string;
  month: (m: string) => string;
  number: (n: number) => string;
  percent: (r: number) => string;
};

function systemLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function makeI18n(language: Language, locale: string, setLanguage: (l: Language) => void = () => {}): I18n {
  const messages = DICTIONARIES[language];
  return {
    language,
    locale,
    setLanguage,
    t: (key, params = {}) => formatMessage(messages[key] ?? en[key], params, locale),
    date: (d) => formatDate(d, locale),
    weekday: (d) => formatWeekdayDate(d, locale),
    instant: (at) => formatInstant(at, locale),
    jurisdiction: (code, fallback) => {
      if (!/^[A-Z]{2}$/.test(code) || language === "en") return fallback;
      try {
        return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? fallback;
      } catch {
        return fallback;
      }
    },
    label: (group, value, fallback) => {
      const key = `${group}.${value}`;
      return key in messages ? formatMessage(messages[key as MessageKey], {}, locale) : (fallback ?? value);
    },
    month: (m) => formatMonth(m, locale),
    number: (n) => formatNumber(n, locale),
    percent: (r) => formatPercent(r, locale),
  };
}

const Context = createContext<I18n>(makeI18n("en", "en"));

export function I18nProvider({ override, children }: { override: string | null; children: ReactNode }) {
  const [chosen, setChosen] = useState<Language>(() => pickLanguage(override, readStored(), systemLanguages()));
  // An override (RIGHTSDESK_LANG) wins over the stored choice, from the first render and whenever it changes.
  const [seenOverride, setSeenOverride] = useState<string | null | undefined>(undefined);
  if (override !== seenOverride) {
    setSeenOverride(override);
    if (override) setChosen(pickLanguage(override, null, []));
  }
  const setLanguage = useCallback((l: Language) => {
    setChosen(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage unavailable: the choice lasts for this session */
    }
  }, []);
  const value = useMemo(() => makeI18n(chosen, localeFor(chosen, systemLanguages()), setLanguage), [chosen, setLanguage]);
  useEffect(() => {
    document.documentElement.lang = chosen;
  }, [chosen]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  return useContext(Context);
}

export type { MessageKey };
