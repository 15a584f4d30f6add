// The Inbox: mails read from the privacy mailbox that are not replies to a request, waiting for
// the officer. Each shows its sender, subject, the server's arrival time (in the organisation's
// zone: it decides the date of receipt), the suggested request type with the keyword that
// suggested it, and whether the sender has an open request. An item's text is shown as TEXT,
// never as HTML; attachments are listed by name, size and type and never opened. The officer
// accepts (the request opens), dismisses with a reason, or links the mail to a request.
// On a team register every window lists the same intake (it refreshes when another window files or
// decides a mail); an auditor's window (and one on a read replica) neither fetches nor decides.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { AppInfo, IntakeItem } from "../../ipc/types";
import { useI18n } from "../../i18n";
import { teamWriter } from "../setup/team";
import { formatArrival, formatReceiptDate, formatSize } from "./format";
import {
  mailboxKeys,
  useAcceptIntake,
  useDismissIntake,
  useFetchNow,
  useIntakeItem,
  useLinkIntake,
  useMailboxStatus,
  useNewIntake,
} from "./queries";

function FieldError({ error, field }: { error: unknown; field: string }) {
  if (error instanceof IpcFailure && error.field === field) {
    return (
      <span className="field-error" data-error-for={field} lang="en">
        {error.message}
      </span>
    );
  }
  return null;
}

function ErrorLine({ error }: { error: unknown }) {
  if (!error || (error instanceof IpcFailure && error.field)) return null;
  return (
    <p role="alert" className="error" lang="en">
      {messageOf(error)}
    </p>
  );
}

/** The count of new items, for the sidebar's badge; nothing when there are none. */
export function InboxBadge() {
  const { t, number } = useI18n();
  const items = useNewIntake();
  const count = items.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <span className="badge" data-testid="inbox-badge" aria-label={t("inbox.count", { count: number(count) })}>
      {number(count)}
    </span>
  );
}

/** The background fetch: running, its last result, or its error with "Try again"; and "Fetch now". */
/** Whether this window reads the mailbox and decides its mails (see `teamWriter`). */
function mayDecide(info: AppInfo): boolean {
  return teamWriter(info.team);
}

function FetchHeader() {
  const { t, instant, number } = useI18n();
  const status = useMailboxStatus();
  const fetchNow = useFetchNow();
  const s = status.data;
  // A background fetch ended (woken by IDLE or the poll): read the list again now.
  const runs = s?.runs;
  const client = useQueryClient();
  useEffect(() => {
    if (runs) void client.invalidateQueries({ queryKey: mailboxKeys.all });
  }, [runs, client]);
  if (s && !s.configured && !fetchNow.isPending) {
    return (
      <p className="notice" data-testid="inbox-not-configured">
        {t("inbox.notConfigured")}
      </p>
    );
  }
  const busy = fetchNow.isPending || !!s?.fetching;
  const next = s?.next_at ? instant(s.next_at) : "";
  return (
    <div className="inbox-header" data-testid="inbox-status" role="status">
      {busy && <p data-testid="inbox-fetching">{t("inbox.fetching")}</p>}
      {!busy && s?.error && (
        <p className="error" data-testid="inbox-error">
          <span lang="en">{t("inbox.error", { message: s.error, time: instant(s.error_at), next })}</span>{" "}
          <button type="button" data-testid="inbox-retry" onClick={() => fetchNow.mutate()}>
            {t("inbox.retry")}
          </button>
        </p>
      )}
      {!busy && !s?.error && (
        <p data-testid="inbox-last">
          {s?.last_ok_at && s.last_report
            ? t("inbox.lastOk", {
                time: instant(s.last_ok_at),
                items: number(s.last_report.new_items),
                replies: number(s.last_report.replies),
              })
            : t("inbox.never")}{" "}
          {next && s ? (
            <span data-testid="inbox-mode" data-mode={s.mode}>
              {s.mode === "idle" ? t("inbox.listening", { time: next }) : t("inbox.next", { time: next, minutes: number(s.poll_minutes) })}
            </span>
          ) : (
            ""
          )}
        </p>
      )}
      <button type="button" data-testid="fetch-now" disabled={busy} onClick={() => fetchNow.mutate()}>
        {t("inbox.fetchNow")}
      </button>
    </div>
  );
}

export function Inbox({ info, onOpenRequest }: { info: AppInfo; onOpenRequest: (id: string) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="inbox-heading" data-testid="inbox">
      {open === null ? (
        <IntakeList info={info} onOpen={setOpen} />
      ) : (
        <ItemView info={info} id={open} onBack={() => setOpen(null)} onOpenRequest={onOpenRequest} />
      )}
    </section>
  );
}

function SuggestionText({ item }: { item: IntakeItem }) {
  const { t, label } = useI18n();
  const s = item.suggestion;
  if (!s?.request_type) return <span className="muted">{t("inbox.noSuggestion")}</span>;
  return (
    <>
      <strong>{label("type", s.request_type)}</strong>{" "}
      <span className="muted" data-testid="suggestion-reason">
        {t("inbox.because", { reason: s.reason })}
      </span>
    </>
  );
}

function OpenFromSender({ item }: { item: IntakeItem }) {
  const { t } = useI18n();
  if (item.open_requests_from_sender.length === 0) return null;
  return (
    <span className="flag" data-testid="open-from-sender">
      {t("inbox.openFromSender", { refs: item.open_requests_from_sender.map((r) => r.reference).join(", ") })}
    </span>
  );
}

function IntakeList({ info, onOpen }: { info: AppInfo; onOpen: (id: string) => void }) {
  const { t, locale } = useI18n();
  const items = useNewIntake();
  return (
    <>
      <h1 id="inbox-heading">{t("inbox.title")}</h1>
      <p className="muted">{t("inbox.intro")}</p>
      {mayDecide(info) ? (
        <FetchHeader />
      ) : (
        <p className="notice" data-testid="inbox-read-only">
          {t("inbox.auditor")}
        </p>
      )}
      {items.isError && (
        <p role="alert" className="error" lang="en">
          {messageOf(items.error)}
        </p>
      )}
      {items.data && items.data.length === 0 && <p data-testid="inbox-empty">{t("inbox.empty")}</p>}
      {items.data && items.data.length > 0 && (
        <table data-testid="intake-list" className="data">
          <thead>
            <tr>
              <th scope="col">{t("inbox.from")}</th>
              <th scope="col">{t("inbox.subject")}</th>
              <th scope="col">{t("inbox.arrived")}</th>
              <th scope="col">{t("inbox.suggestion")}</th>
            </tr>
          </thead>
          <tbody>
            {items.data.map((item) => (
              <tr key={item.id} data-item={item.id} data-from={item.from_address}>
                <td>
                  {item.from_name ? `${item.from_name} <${item.from_address}>` : item.from_address}
                  <br />
                  <OpenFromSender item={item} />
                </td>
                <td>
                  <button type="button" className="link" data-testid="open-item" onClick={() => onOpen(item.id)}>
                    {item.subject || t("inbox.noSubject")}
                  </button>
                </td>
                <td data-col="arrived">{formatArrival(item.received_at, locale, info.time_zone)}</td>
                <td>
                  <SuggestionText item={item} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ItemView({
  info,
  id,
  onBack,
  onOpenRequest,
}: {
  info: AppInfo;
  id: string;
  onBack: () => void;
  onOpenRequest: (id: string) => void;
}) {
  const { t, locale, label, jurisdiction } = useI18n();
  const item = useIntakeItem(id);
  const accept = useAcceptIntake();
  const dismiss = useDismissIntake();
  const link = useLinkIntake();
  const [choice, setChoice] = useState<{ type: string; regime: string; jurisdiction: string } | null>(null);
  const [reason, setReason] = useState("");
  const [reference, setReference] = useState("");

  if (item.isError)
    return (
      <p role="alert" className="error" lang="en">
        {messageOf(item.error)}
      </p>
    );
  const it = item.data;
  if (!it) return <p>{t("list.loading")}</p>;
  // The form starts from the suggestion (type from the words, law and jurisdiction from the settings).
  if (choice === null) {
    const s = it.suggestion;
    const regime = s?.regime ?? info.regimes[0]?.id ?? "";
    const r = info.regimes.find((x) => x.id === regime);
    setChoice({ type: s?.request_type ?? "", regime, jurisdiction: s?.jurisdiction || r?.default_jurisdiction || "" });
    return null;
  }
  const regime = info.regimes.find((r) => r.id === choice.regime);
  const decided = it.state !== "new";

  return (
    <article data-testid="intake-item" data-item={it.id}>
      <p>
        <button type="button" className="link" data-testid="inbox-back" onClick={onBack}>
          {t("inbox.back")}
        </button>
      </p>
      <h1 id="inbox-heading">{it.subject || t("inbox.noSubject")}</h1>
      <dl className="facts">
        <dt>{t("inbox.from")}</dt>
        <dd data-testid="item-from">{it.from_name ? `${it.from_name} <${it.from_address}>` : it.from_address}</dd>
        <dt>{t("inbox.arrived")}</dt>
        <dd data-testid="item-arrived">{formatArrival(it.received_at, locale, info.time_zone)}</dd>
        <dt>{t("inbox.suggestion")}</dt>
        <dd>
          <SuggestionText item={it} /> <OpenFromSender item={it} />
        </dd>
      </dl>
      {it.warning && (
        <p className="notice" lang="en" data-testid="item-warning">
          {t("inbox.warning", { message: it.warning })}
        </p>
      )}
      <h2>{t("inbox.preview")}</h2>
      {/* Text only: React escapes it; no HTML of the mail is ever rendered. */}
      <pre className="mail-preview" data-testid="item-preview">
        {it.preview}
      </pre>
      <h2>{t("inbox.attachments")}</h2>
      {it.attachments.length === 0 ? (
        <p className="muted">{t("inbox.noAttachments")}</p>
      ) : (
        <ul data-testid="item-attachments">
          {it.attachments.map((a, i) => (
            <li key={i}>
              {a.name} — {formatSize(a.size, locale)} — <code>{a.type}</code>
            </li>
          ))}
        </ul>
      )}
      {decided ? (
        <p className="notice" data-testid="item-decided">
          {it.state === "dismissed"
            ? t("inbox.dismissed", { reason: it.reason ?? "" })
            : t("inbox.linked", { reference: reference.trim() || it.request_id || "" })}
        </p>
      ) : !mayDecide(info) ? (
        <p className="notice" data-testid="inbox-read-only">
          {t("inbox.auditor")}
        </p>
      ) : (
        <>
          <p data-testid="receipt-note">
            {t("inbox.receivedNote", { date: formatReceiptDate(it.received_at, locale, info.time_zone), zone: info.time_zone })}
          </p>
          <form
            className="settings"
            data-testid="accept-form"
            onSubmit={(e) => {
              e.preventDefault();
              accept.mutate(
                {
                  id: it.id,
                  options: { request_type: choice.type || null, regime: choice.regime || null, jurisdiction: choice.jurisdiction || null },
                },
                { onSuccess: (request) => onOpenRequest(request.id) },
              );
            }}
          >
            <fieldset>
              <legend>{t("inbox.accept")}</legend>
              <div className="grid">
                <label>
                  {t("inbox.type")}
                  <select name="accept-type" value={choice.type} onChange={(e) => setChoice({ ...choice, type: e.target.value })}>
                    <option value="">—</option>
                    {info.request_types.map((x) => (
                      <option key={x.value} value={x.value}>
                        {label("type", x.value, x.label)}
                      </option>
                    ))}
                  </select>
                  <FieldError error={accept.error} field="type" />
                </label>
                <label>
                  {t("inbox.regime")}
                  <select
                    name="accept-regime"
                    value={choice.regime}
                    onChange={(e) => {
                      const next = info.regimes.find((r) => r.id === e.target.value);
                      setChoice({ ...choice, regime: e.target.value, jurisdiction: next?.default_jurisdiction ?? "" });
                    }}
                  >
                    {info.regimes.map((r) => (
                      <option key={r.id} value={r.id}>
                        {label("regime", r.id, r.name)}
                      </option>
                    ))}
                  </select>
                  <FieldError error={accept.error} field="regime" />
                </label>
                <label>
                  {t("inbox.jurisdiction")}
                  <select
                    name="accept-jurisdiction"
                    value={choice.jurisdiction}
                    onChange={(e) => setChoice({ ...choice, jurisdiction: e.target.value })}
                  >
                    {(regime?.jurisdictions ?? []).map((j) => (
                      <option key={j.code} value={j.code}>
                        {jurisdiction(j.code, j.name)} ({j.code})
                      </option>
                    ))}
                  </select>
                  <FieldError error={accept.error} field="jurisdiction" />
                </label>
              </div>
              <button type="submit" className="primary" data-testid="accept-item" disabled={accept.isPending}>
                {t("inbox.accept")}
              </button>
              <ErrorLine error={accept.error} />
            </fieldset>
          </form>
          <form
            className="settings"
            data-testid="dismiss-form"
            onSubmit={(e) => {
              e.preventDefault();
              dismiss.mutate({ id: it.id, reason });
            }}
          >
            <fieldset>
              <legend>{t("inbox.dismiss")}</legend>
              <label className="wide">
                {t("inbox.dismissReason")}
                <input name="dismiss-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
                <FieldError error={dismiss.error} field="reason" />
              </label>
              <button type="submit" data-testid="dismiss-item" disabled={dismiss.isPending}>
                {t("inbox.dismiss")}
              </button>
              <ErrorLine error={dismiss.error} />
            </fieldset>
          </form>
          <form
            className="settings"
            data-testid="link-form"
            onSubmit={(e) => {
              e.preventDefault();
              link.mutate({ id: it.id, request: reference });
            }}
          >
            <fieldset>
              <legend>{t("inbox.link")}</legend>
              <label>
                {t("inbox.linkReference")}
                <input name="link-reference" value={reference} onChange={(e) => setReference(e.target.value)} />
                <FieldError error={link.error} field="request" />
              </label>
              <button type="submit" data-testid="link-item" disabled={link.isPending}>
                {t("inbox.link")}
              </button>
              <ErrorLine error={link.error} />
            </fieldset>
          </form>
        </>
      )}
    </article>
  );
}
