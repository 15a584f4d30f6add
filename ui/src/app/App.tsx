import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { messageOf } from "../ipc/call";
import { I18nProvider, LANGUAGES, useI18n, type Language } from "../i18n";
import { NewRequestForm } from "../features/requests/NewRequestForm";
import { RequestDetail } from "../features/requests/RequestDetail";
import { RequestList, type ListApi } from "../features/requests/RequestList";
import { useAppInfo } from "../features/requests/queries";
import { DEFAULT_VIEW, type ListView } from "../features/requests/view";
import { FirstRun } from "../features/setup/FirstRun";
import { Calculator } from "../features/deadlines/Calculator";
import { DeadlineSettings } from "../features/settings/DeadlineSettings";
import { Unlock } from "../features/setup/Unlock";
import { MailSettings } from "../features/letters/MailSettings";
import { Outbox } from "../features/letters/Outbox";
import { Inbox, InboxBadge } from "../features/mailbox/Inbox";
import { Reminders } from "../features/letters/Reminders";
import { DataMap } from "../features/datamap/DataMap";
import { AuditTrail } from "../features/audit/AuditTrail";
import { ImportScreen } from "../features/import/ImportScreen";
import { RegisterScreen } from "../features/register/RegisterScreen";
import { SafetyScreen } from "../features/backups/SafetyScreen";
import { Dashboard } from "../features/dashboard/Dashboard";
import { useUiPreferences } from "../features/dashboard/queries";
import { Guide } from "../features/help/Guide";
import { HelpPanel, type HelpTopic } from "../features/help/HelpPanel";
import { ShortcutSheet } from "../features/help/ShortcutSheet";
import { actionFor, isTyping } from "../features/help/shortcuts";
import { applyTheme } from "./theme";
import { NAV, type NavScreen } from "./nav";
import { StatusLine } from "./StatusLine";

type Screen =
  | { kind: "dashboard" }
  | { kind: "list" }
  | { kind: "new" }
  | { kind: "detail"; id: string; step?: boolean }
  | { kind: "first-run" }
  | { kind: "guide" }
  | { kind: "calculator" }
  | { kind: "settings" }
  | { kind: "inbox" }
  | { kind: "outbox" }
  | { kind: "reminders" }
  | { kind: "mail-settings" }
  | { kind: "datamap" }
  | { kind: "audit" }
  | { kind: "import" }
  | { kind: "register" }
  | { kind: "safety" };

const GUIDE_HIDDEN = "rightsdesk.guide-hidden";

export function App() {
  const prefs = useUiPreferences();
  const theme = prefs.data?.theme ?? null;
  useEffect(() => applyTheme(theme), [theme]);
  return (
    <I18nProvider override={prefs.data?.language ?? null}>
      <Shell />
    </I18nProvider>
  );
}

function Shell() {
  const info = useAppInfo();
  const i18n = useI18n();
  const { t } = i18n;
  const [screen, setScreen] = useState<Screen | null>(null);
  const [view, setView] = useState<ListView>(DEFAULT_VIEW);
  const [order, setOrder] = useState<string[]>([]);
  const [help, setHelp] = useState(false);
  const [sheet, setSheet] = useState(false);
  const [guideHidden, setGuideHidden] = useState(() => readFlag(GUIDE_HIDDEN));
  const listApi = useRef<ListApi>(null);
  const searchWanted = useRef(false);
  const pendingKey = useRef<string | null>(null);

  const data = info.data;
  const ready = data && !data.open_error && !data.locked;
  const empty = data?.request_count === 0;
  // One object per screen, so the keyboard handler below is not rebuilt (and re-attached) on every render.
  const current: Screen = useMemo(() => screen ?? (empty ? { kind: "first-run" } : { kind: "list" }), [screen, empty]);
  const go = useCallback((s: Screen) => {
    setScreen(s);
    setHelp(false);
  }, []);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (!ready || e.defaultPrevented || document.querySelector("dialog[open]")) return;
      const action = actionFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        typing: isTyping(e.target),
        pending: pendingKey.current,
      });
      pendingKey.current = action === "prefix" ? e.key : null;
      if (action === null || action === "prefix") return;
      e.preventDefault();
      switch (action) {
        case "new":
          go({ kind: "new" });
          break;
        case "search":
          if (current.kind === "list") listApi.current?.focusSearch();
          else {
            searchWanted.current = true;
            go({ kind: "list" });
          }
          break;
        case "next":
        case "previous": {
          const delta = action === "next" ? 1 : -1;
          if (current.kind === "list") listApi.current?.move(delta);
          else if (current.kind === "detail") {
            const at = order.indexOf(current.id);
            const next = at < 0 ? undefined : order[at + delta];
            if (next) go({ kind: "detail", id: next });
          }
          break;
        }
        case "dashboard":
          go({ kind: "dashboard" });
          break;
        case "list":
          go({ kind: "list" });
          break;
        case "help":
          setHelp((h) => !h);
          break;
        case "sheet":
          setSheet(true);
          break;
        case "back":
          if (help) setHelp(false);
          else if (current.kind === "detail" || current.kind === "new") go({ kind: "list" });
          break;
      }
    },
    [ready, current, order, help, go],
  );
  useEffect(() => {
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onKey]);
  useEffect(() => {
    if (current.kind === "list" && searchWanted.current && listApi.current) {
      searchWanted.current = false;
      listApi.current.focusSearch();
    }
  });

  if (info.isPending) return <p className="loading">{t("list.loading")}</p>;
  if (info.isError || !data) {
    return (
      <main className="panel">
        <p role="alert" className="error">
          {t("error.notLoaded", { message: messageOf(info.error) })}
        </p>
      </main>
    );
  }
  if (data.open_error) {
    return (
      <main className="panel" data-testid="open-error">
        <h1>{t("app.openErrorTitle")}</h1>
        <p role="alert" className="error" lang="en">
          {data.open_error.message}
        </p>
        <p>{t("app.openErrorHint")}</p>
      </main>
    );
  }
  if (data.locked) {
    return <Unlock dbPath={data.db_path} reason={data.locked.reason} newDatabase={data.locked.new_database} />;
  }
  const toList = () => go({ kind: "list" });
  // Every screen has its own help topic (the type makes a new screen name one).
  const topic: HelpTopic = current.kind;
  const nav = (kind: NavScreen, label: string, testid: string, keys?: string) => (
    <button
      key={kind}
      type="button"
      data-testid={testid}
      className={current.kind === kind || (kind === "list" && current.kind === "detail") ? "active" : ""}
      aria-current={current.kind === kind ? "page" : undefined}
      aria-keyshortcuts={keys}
      onClick={() => go({ kind })}
    >
      {label}
      {kind === "inbox" && <InboxBadge />}
    </button>
  );
  const hideGuide = () => {
    setGuideHidden(true);
    writeFlag(GUIDE_HIDDEN);
  };

  return (
    <div className={`shell ${help ? "with-help" : ""}`}>
      <a href="#content" className="skip-link">
        {t("app.skip")}
      </a>
      <nav className="sidebar" aria-label={t("nav.main")}>
        <div className="brand">Rightsdesk</div>
        {NAV.map((n) => nav(n.kind, t(n.label), n.testid, n.keys))}
        <div className="sidebar-tools">
          <button type="button" data-testid="nav-help" aria-expanded={help} aria-keyshortcuts="F1 h" onClick={() => setHelp((h) => !h)}>
            {t("nav.help")}
          </button>
          <button type="button" data-testid="nav-shortcuts" aria-keyshortcuts="?" onClick={() => setSheet(true)}>
            {t("nav.shortcuts")}
          </button>
          <label>
            {t("nav.language")}
            <select
              name="language"
              data-testid="language"
              value={i18n.language}
              onChange={(e) => i18n.setLanguage(e.target.value as Language)}
            >
              {LANGUAGES.map((l) => (
                <option key={l.value} value={l.value} lang={l.value}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="org muted">{data.org_name ?? ""}</div>
      </nav>
      <main id="content" tabIndex={-1}>
        <StatusLine />
        {!guideHidden && current.kind !== "guide" && current.kind !== "first-run" && (
          <p className="notice guide-banner" data-testid="guide-banner">
            <button type="button" className="link" onClick={() => go({ kind: "guide" })}>
              {t("guide.show")}
            </button>{" "}
            <button type="button" className="link" data-testid="guide-banner-hide" onClick={hideGuide}>
              {t("guide.dismiss")}
            </button>
          </p>
        )}
        {current.kind === "first-run" && <FirstRun dbPath={data.db_path} onDone={toList} />}
        {current.kind === "dashboard" && (
          <Dashboard
            info={data}
            onOpen={(id, step) => go({ kind: "detail", id, step })}
            onShowList={() => {
              setView({ ...DEFAULT_VIEW, openOnly: true });
              go({ kind: "list" });
            }}
          />
        )}
        {current.kind === "list" && (
          <RequestList
            info={data}
            view={view}
            onViewChange={setView}
            onOpen={(id) => go({ kind: "detail", id })}
            onNew={() => go({ kind: "new" })}
            onOrderChange={setOrder}
            apiRef={listApi}
          />
        )}
        {current.kind === "new" && <NewRequestForm info={data} onCreated={(id) => go({ kind: "detail", id })} onCancel={toList} />}
        {current.kind === "detail" && (
          <RequestDetail
            key={current.id}
            info={data}
            id={current.id}
            startStep={current.step}
            onBack={toList}
            onOpen={(id) => go({ kind: "detail", id })}
          />
        )}
        {current.kind === "calculator" && <Calculator info={data} />}
        {current.kind === "import" && <ImportScreen info={data} onDone={toList} />}
        {current.kind === "register" && <RegisterScreen info={data} />}
        {current.kind === "settings" && <DeadlineSettings />}
        {current.kind === "inbox" && <Inbox info={data} onOpenRequest={(id) => go({ kind: "detail", id })} />}
        {current.kind === "outbox" && <Outbox />}
        {current.kind === "reminders" && <Reminders onOpen={(id) => setScreen({ kind: "detail", id })} />}
        {current.kind === "mail-settings" && <MailSettings />}
        {current.kind === "datamap" && <DataMap />}
        {current.kind === "audit" && <AuditTrail />}
        {current.kind === "safety" && <SafetyScreen />}
        {current.kind === "guide" && <Guide onGo={(kind) => go({ kind })} onDismiss={guideHidden ? undefined : hideGuide} />}
      </main>
      {help && <HelpPanel topic={topic} onClose={() => setHelp(false)} />}
      {sheet && <ShortcutSheet onClose={() => setSheet(false)} />}
    </div>
  );
}

function readFlag(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === "1";
  } catch {
    return false;
  }
}

function writeFlag(key: string) {
  try {
    window.localStorage.setItem(key, "1");
  } catch {
    /* storage unavailable: hidden for this session only */
  }
}
