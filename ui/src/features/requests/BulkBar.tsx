import { useEffect, useRef, useState } from "react";
import type { AppInfo, Status } from "../../ipc/types";
import { IpcFailure, isCode, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useBulkAction, useListAsOf, useReloadList, type BulkAction } from "./queries";
import { coreLabels } from "../../i18n/coreLabels";

type Props = {
  info: AppInfo;
  selected: { id: string; reference: string }[];
  onClear: () => void;
  /** Called with the announcement after a bulk action succeeded (the bar closes with the selection). */
  onDone: (message: string) => void;
};

/** Change the status of, or mark as duplicates, the selected requests: confirmed first, all or nothing. */
export function BulkBar({ info, selected, onClear, onDone }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [to, setTo] = useState<Status | "">("");
  const [reason, setReason] = useState("");
  const [original, setOriginal] = useState("");
  // One action at a time: its own fields show, the other's do not.
  const [action, setAction] = useState<"status" | "duplicate">("status");
  const [pending, setPending] = useState<BulkAction | null>(null);
  const bulk = useBulkAction();
  const asOf = useListAsOf();
  const reloadList = useReloadList();
  const ids = selected.map((s) => s.id);
  const error = bulk.error;
  const at = (field: string) =>
    error instanceof IpcFailure && error.field === field ? (
      <span className="field-error" role="alert" data-error-for={field}>
        {error.message}
      </span>
    ) : null;
  const statusLabel = coreLabels(i18n, info).status;

  const confirm = () => {
    if (!pending) return;
    const action = pending;
    setPending(null);
    bulk.mutate(action, {
      onSuccess: (out) => {
        onDone(t("bulk.done", { count: out.changed }));
        onClear();
      },
    });
  };

  return (
    <>
      <section className="bulk-bar" aria-label={t("bulk.region")} data-testid="bulk-bar">
        <strong data-testid="bulk-count">{t("bulk.selected", { count: selected.length })}</strong>
        <div className="bulk-actions" role="group" aria-label={t("bulk.region")}>
          <button type="button" data-testid="bulk-action-status" aria-pressed={action === "status"} onClick={() => setAction("status")}>
            {t("bulk.apply").replace(/…$/, "")}
          </button>
          <button
            type="button"
            data-testid="bulk-action-duplicate"
            aria-pressed={action === "duplicate"}
            onClick={() => setAction("duplicate")}
          >
            {t("bulk.markDuplicate").replace(/…$/, "")}
          </button>
        </div>
        {action === "status" ? (
          <>
            <label>
              {t("bulk.moveTo")}
              <select name="bulk-status" value={to} onChange={(e) => setTo(e.target.value as Status | "")}>
                <option value="">{t("bulk.choose")}</option>
                {info.statuses.map((s) => (
                  <option key={s.value} value={s.value}>
                    {statusLabel(s.value)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("bulk.reason")}
              <input
                name="bulk-reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-invalid={at("reason") ? true : undefined}
              />
              {at("reason")}
            </label>
            <button
              type="button"
              className="primary"
              data-testid="bulk-apply"
              disabled={to === ""}
              onClick={() =>
                to !== "" && setPending({ kind: "status", ids, to, reason: reason.trim() === "" ? null : reason, asOf: asOf(ids) })
              }
            >
              {t("bulk.apply")}
            </button>
          </>
        ) : (
          <>
            <label>
              {t("bulk.original")}
              <input
                name="bulk-original"
                value={original}
                onChange={(e) => setOriginal(e.target.value)}
                aria-invalid={at("original") ? true : undefined}
              />
              {at("original")}
            </label>
            <button
              type="button"
              className="primary"
              data-testid="bulk-duplicate"
              disabled={original.trim() === ""}
              onClick={() => setPending({ kind: "duplicate", ids, original: original.trim(), asOf: asOf(ids) })}
            >
              {t("bulk.markDuplicate")}
            </button>
          </>
        )}
        <button type="button" className="link" data-testid="bulk-clear" onClick={onClear}>
          {t("bulk.clear")}
        </button>
        {at("ids")}
        {error && !(error instanceof IpcFailure && error.field) && (
          <span role="alert" className="error">
            {messageOf(error)}
            {/* A selected request changed since the list was read: read it again, then act. */}
            {isCode(error, "conflict") && (
              <>
                {" "}
                <button
                  type="button"
                  data-testid="bulk-conflict-reload"
                  onClick={() => {
                    bulk.reset();
                    reloadList();
                  }}
                >
                  {t("detail.reload")}
                </button>
              </>
            )}
          </span>
        )}
      </section>
      {pending && (
        <ConfirmDialog
          title={t("bulk.confirmTitle")}
          text={
            pending.kind === "status"
              ? t("bulk.confirmStatus", { count: pending.ids.length, status: statusLabel(pending.to) })
              : t("bulk.confirmDuplicate", { count: pending.ids.length, original: pending.original })
          }
          confirmLabel={t("bulk.confirm")}
          cancelLabel={t("bulk.cancel")}
          onConfirm={confirm}
          onCancel={() => setPending(null)}
        />
      )}
    </>
  );
}

type DialogProps = {
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
};

/** A modal confirmation (native <dialog>: focus is trapped inside, Esc cancels, focus returns after). */
export function ConfirmDialog({ title, text, confirmLabel, cancelLabel, onConfirm, onCancel }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    dialog?.querySelector<HTMLButtonElement>("button[data-confirm]")?.focus();
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-text">{text}</p>
      <div className="actions">
        <button type="button" className="primary" data-confirm data-testid="confirm-yes" onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" data-testid="confirm-no" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
