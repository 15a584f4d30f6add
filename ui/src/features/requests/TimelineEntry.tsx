import type { Status, TimelineEvent } from "../../ipc/types";
import { useI18n, type I18n } from "../../i18n";

/**
 * What a timeline entry says in the interface language. The entry's own words
 * (its summary) are the audit record, written in English by the core: in
 * English they are shown as they are; in another language the translated kind
 * comes first and the summary follows, marked as English. A status change is
 * told entirely from its data ("Status geändert: Eingegangen → In Bearbeitung").
 */
export function timelineText(
  e: Pick<TimelineEvent, "kind" | "summary" | "data">,
  i18n: Pick<I18n, "language" | "t" | "label">,
  statusLabel: (s: Status) => string,
): { kind: string | null; text: string; english: boolean } {
  if (i18n.language === "en") return { kind: null, text: e.summary, english: true };
  const kind = i18n.label("event", e.kind, e.kind);
  if (e.kind === "status-changed") {
    const data = parse(e.data);
    if (typeof data.from === "string" && typeof data.to === "string") {
      let text = i18n.t("event.statusChange", { from: statusLabel(data.from as Status), to: statusLabel(data.to as Status) });
      if (typeof data.reason === "string" && data.reason !== "") text += ` (${i18n.t("event.statusReason", { reason: data.reason })})`;
      return { kind, text, english: false };
    }
  }
  return { kind, text: e.summary, english: true };
}

function parse(data: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(data);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function TimelineEntry({ event, statusLabel }: { event: TimelineEvent; statusLabel: (s: Status) => string }) {
  const i18n = useI18n();
  const { kind, text, english } = timelineText(event, i18n, statusLabel);
  return (
    <li data-kind={event.kind}>
      <time dateTime={event.at}>{i18n.instant(event.at)}</time> {kind && <span className="event-kind">{kind}: </span>}
      <span lang={english && i18n.language !== "en" ? "en" : undefined}>{text}</span>{" "}
      <span className="muted">— {i18n.t("detail.byActor", { actor: event.actor })}</span>
    </li>
  );
}
