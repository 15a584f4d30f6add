// The status line: background work that failed (the daily backup, the audit anchor mail, the
// refresh of open requests' dates to new rules, the outbox), each with the core's words and when,
// until that job next succeeds. Nobody clicked anything for these, so without this line a
// failure would go unseen. The backend keeps the list (src-tauri/src/status.rs); this polls it.
import { useQuery } from "@tanstack/react-query";
import { commands } from "../ipc/bindings";
import { call } from "../ipc/call";
import type { BackgroundJob } from "../ipc/types";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n/en";

export const appStatusKey = ["app-status"] as const;

/** How often the window asks (the answer is in memory, no database read): a failure at opening shows within seconds. */
const EVERY_MS = 5_000;

const SENTENCE: Record<BackgroundJob, MessageKey> = {
  "daily-backup": "status.dailyBackup",
  "audit-anchor": "status.auditAnchor",
  "rule-refresh": "status.ruleRefresh",
  outbox: "status.outbox",
  mailbox: "status.mailbox",
  "team-updates": "status.teamUpdates",
};

export function StatusLine() {
  const { t, instant } = useI18n();
  const status = useQuery({ queryKey: appStatusKey, queryFn: () => call(commands.appStatus()), refetchInterval: EVERY_MS });
  const problems = status.data?.problems ?? [];
  // Always in the page, so a screen reader announces a problem that appears later.
  return (
    <div role="status" className={problems.length ? "status-line notice" : "status-line"} data-testid="status-line">
      {problems.map((p) => (
        <p key={p.job} data-testid={`status-${p.job}`} className="error">
          {t(SENTENCE[p.job], { message: p.message, time: instant(p.at) })}
        </p>
      ))}
    </div>
  );
}
