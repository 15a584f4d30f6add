import { isCode } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useRequestWorkChanged } from "./queries";

/**
 * After a change refused because someone changed the request since the page loaded it
 * (`conflict`: "changed by NAME at TIME — reload"): a Reload button that reads the request and
 * its work again and clears the refusal. Nothing for any other error.
 */
export function ConflictReload({ error, onReset }: { error: unknown; onReset: () => void }) {
  const reload = useRequestWorkChanged();
  const { t } = useI18n();
  if (!isCode(error, "conflict")) return null;
  return (
    <>
      {" "}
      <button
        type="button"
        data-testid="conflict-reload-work"
        onClick={() => {
          onReset();
          reload();
        }}
      >
        {t("detail.reload")}
      </button>
    </>
  );
}
