import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { messageOf } from "../ipc/call";
import { I18nProvider, LANGUAGES, useI18n, type Language } from "../i18n";
import { RequestList, type ListApi } from "../features/requests/RequestList";
import { useAppInfo } from "../features/requests/queries";
import { DEFAULT_VIEW, filterOf, type ListView } from "../features/requests/view";
import { requestPageQuery } from "../features/requests/queries";
import { FirstRun } from "../features/setup/FirstRun";
import { Unlock } from "../features/setup/Unlock";
import { useRegisterWatch } from "../features/setup/watch";
import { TeamConnect, UseLocalRegister } from "../features/setup/TeamConnect";
import { ReplicaBanner } from "../features/setup/ReplicaBanner";
import { useUiPreferences } from "../features/dashboard/queries";
import type { HelpTopic } from "../features/help/topics";
import { actionFor, isTyping } from "../features/help/shortcuts";
import { applyTheme } from "./theme";
import { NAV, type NavScreen } from "./nav";
import { StatusLine } from "./StatusLine";
import { useAfterFirstPaint } from "./startup";

// The first paint needs the shell, the list (or the first-run or unlock screen) and the status line:
// every other screen is its own chunk, loaded when first shown and fetched in the background once the
// first screen is painted (`useAfterFirstPaint`), so the start reads a small bundle.
const screens = {
  dashboard: () => import("../features/dashboard/Dashboard"),
  newRequest: () => import("../features/requests/NewRequestForm"),
  detail: () => import("../features/requests/RequestDetail"),
  calculator: () => import("../features/deadlines/Calculator"),
  settings: () => import("../features/settings/DeadlineSettings"),
  mailSettings: () => import("../features/letters/MailSettings"),
  outbox: () => import("../features/letters/Outbox"),
  inbox: () => import("../features/mailbox/Inbox"),
  reminders: () => import("../features/letters/Reminders"),
  datamap: () => import("../features/datamap/DataMap"),
  audit: () => import("../features/audit/AuditTrail"),
  import: () => import("../features/import/ImportScreen"),
  register: () => import("../features/register/RegisterScreen"),
  safety: () => import("../features/backups/SafetyScreen"),
  guide: () => import("../features/help/Guide"),
  help: () => import("../features/help/HelpPanel"),
  sheet: () => import("../features/help/ShortcutSheet"),
};
const Dashboard = lazy(() => screens.dashboard().then((m) => ({ default: m.Dashboard })));
const NewRequestForm = lazy(() => screens.newRequest().then((m) => ({ default: m.NewRequestForm })));
const RequestDetail = lazy(() => screens.detail().then((m) => ({ default: m.RequestDetail })));
const Calculator = lazy(() => screens.calculator().then((m) => ({ default: m.Calculator })));
const DeadlineSettings = lazy(() => screens.settings().then((m) => ({ default: m.DeadlineSettings })));
const MailSettings = lazy(() => screens.mailSettings().then((m) => ({ default: m.MailSettings })));
const Outbox = lazy(() => screens.outbox().then((m) => ({ default: m.Outbox })));
const Inbox = lazy(() => screens.inbox().then((m) => ({ default: m.Inbox })));
const InboxBadge = lazy(() => screens.inbox().then((m) => ({ default: m.InboxBadge })));
const Reminders = lazy(() => screens.reminders().then((m) => ({ default: m.Reminders })));
const DataMap = lazy(() => screens.datamap().then((m) => ({ default: m.DataMap })));
const AuditTrail = lazy(() => screens.audit().then((m) => ({ default: m.AuditTrail })));
const ImportScreen = lazy(() => screens.import().then((m) => ({ default: m.ImportScreen })));
const RegisterScreen = lazy(() => screens.register().then((m) => ({ default: m.RegisterScreen })));
const SafetyScreen = lazy(() => screens.safety().then((m) => ({ default: m.SafetyScreen })));
const Guide = lazy(() => screens.guide().then((m) => ({ default: m.Guide })));
const HelpPanel = lazy(() => screens.help().then((m) => ({ default: m.HelpPanel })));
const ShortcutSheet = lazy(() => screens.sheet().then((m) => ({ default: m.ShortcutSheet })));

/** Fetches every screen's chunk (after the first paint), so that a screen opened later shows at once. */
function preloadScreens() {
  for (const load of Object.values(screens)) {
    // A chunk that fails to load here is loaded (and its failure shown) when its screen opens.
    load().catch(() => undefined);
  }
}

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

/** The sidebar's screens on a team register: those whose services run there (so far). */
const TEAM_SCREENS: NavScreen[] = [
  "dashboard",
  "list",
  "inbox",
  "import",
  "register",
  "outbox",
  "reminders",
  "settings",
  "mail-settings",
  "datamap",
  "safety",
  "audit",
  "calculator",
  "guide",
];

export function App() {
  const client = useQueryClient();
  // The list's first page is asked for with the app's information, not after it: the list is the
  // first screen of a register with requests, and its rows then arrive one round trip sooner.
  useEffect(() => {
    const first = requestPageQuery(filterOf(DEFAULT_VIEW), 0);
    // Refused while the register is locked: forgotten, so the list after the unlock asks afresh.
    void client.prefetchQuery(first).then(() => {
      if (client.getQueryState(first.queryKey)?.status === "error") client.removeQueries({ queryKey: first.queryKey, exact: true });
    });
  }, [client]);
  const prefs = useUiPreferences();
  const theme = prefs.data?.theme ?? null;
  useEffect(() => applyTheme(theme), [theme]);
  // The language set for this run (RIGHTSDESK_LANG) is known before anything is painted: read
  // from the environment, it answers in a round trip, and a first list in the system's language
  // repainted a moment later in the chosen one would flash the wrong language.
  if (prefs.isPending) return null;
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
  const team = data?.team ?? null;
  // The first run (demo data) is the local file's; an empty team register opens on its list.
  const empty = data?.request_count === 0 && !team;
  useAfterFirstPaint(Boolean(ready), preloadScreens);
  useRegisterWatch(Boolean(ready && team));
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
        {data.team_unavailable ? (
          <>
            <p>
              {t("team.unavailable")} {data.local_possible && <UseLocalRegister />}
            </p>
            <TeamConnect initialAddress={data.team_unavailable} />
          </>
        ) : (
          <p>{t("app.openErrorHint")}</p>
        )}
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
      {kind === "inbox" && (
        <Suspense fallback={null}>
          <InboxBadge />
        </Suspense>
      )}
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
        {NAV.filter((n) => !team || (TEAM_SCREENS.includes(n.kind) && !(n.kind === "import" && team.role === "auditor"))).map((n) =>
          nav(n.kind, t(n.label), n.testid, n.keys),
        )}
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
        {team && (
          <p className="notice team-banner" data-testid="team-banner">
            {t("team.banner", { address: team.address, login: team.login })} <span className="muted">{t("team.limited")}</span>{" "}
            {data.local_possible && <UseLocalRegister />}
          </p>
        )}
        {team?.replica && <ReplicaBanner />}
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
        {/* A screen shown for the first time waits for its chunk (a few ms) with nothing in its place. */}
        <Suspense fallback={null}>
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
          {current.kind === "settings" && (
            <>
              <DeadlineSettings team={team} />
              {!team && (
                <div className="panel">
                  <TeamConnect />
                </div>
              )}
            </>
          )}
          {current.kind === "inbox" && <Inbox info={data} onOpenRequest={(id) => go({ kind: "detail", id })} />}
          {current.kind === "outbox" && <Outbox readOnly={team?.role === "auditor"} />}
          {current.kind === "reminders" && <Reminders onOpen={(id) => setScreen({ kind: "detail", id })} />}
          {current.kind === "mail-settings" && <MailSettings team={team} />}
          {current.kind === "datamap" && <DataMap team={team} />}
          {current.kind === "audit" && <AuditTrail />}
          {current.kind === "safety" && <SafetyScreen team={team} />}
          {current.kind === "guide" && <Guide onGo={(kind) => go({ kind })} onDismiss={guideHidden ? undefined : hideGuide} />}
        </Suspense>
      </main>
      <Suspense fallback={null}>
        {help && <HelpPanel topic={topic} onClose={() => setHelp(false)} />}
        {sheet && <ShortcutSheet onClose={() => setSheet(false)} />}
      </Suspense>
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
