import { useEffect, useRef } from "react";
import { useI18n } from "../../i18n";
import { LIST_KEYS, SHORTCUTS } from "./shortcuts";

/** The shortcut sheet (press ?): every key the app answers to, from the same table the handler uses. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    dialog?.querySelector<HTMLButtonElement>("button")?.focus();
    return () => opener?.focus?.();
  }, []);
  const rows = [...SHORTCUTS.map((s) => ({ keys: s.keys, label: s.label })), ...LIST_KEYS];
  return (
    <dialog
      ref={ref}
      className="sheet"
      aria-labelledby="sheet-heading"
      data-testid="shortcut-sheet"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="sheet-heading">{t("keys.title")}</h2>
      <table className="shortcuts">
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">
                {r.keys.map((k, n) => (
                  <span key={k}>
                    {n > 0 && " / "}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </th>
              <td>{t(r.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("keys.note")}</p>
      <button type="button" data-testid="sheet-close" onClick={onClose}>
        {t("keys.close")}
      </button>
    </dialog>
  );
}
