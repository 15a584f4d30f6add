import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { commands } from "../../ipc/bindings";
import { call, IpcFailure, messageOf } from "../../ipc/call";
import { appInfoKey } from "../requests/queries";
import { useI18n } from "../../i18n";
import { TeamConnect } from "./TeamConnect";

type Props = { dbPath: string; reason: string; newDatabase: boolean };

/** The database is encrypted; with no key in the OS keyring, the officer types its passphrase. */
export function Unlock({ dbPath, reason, newDatabase }: Props) {
  const client = useQueryClient();
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const unlock = useMutation({
    mutationFn: (p: string) => call(commands.unlockDatabase(p)),
    onSuccess: () => void client.invalidateQueries({ queryKey: appInfoKey }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (newDatabase && passphrase !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    unlock.mutate(passphrase);
  }

  const error = unlock.error;
  // The path (and the keyring's own words) go inside the translated sentence.
  const [before, after] = splitAt(t(newDatabase ? "unlock.introNew" : "unlock.intro", { path: MARK }));
  const [keyringBefore] = splitAt(t("unlock.keyring", { reason: MARK }));
  return (
    <main className="panel welcome" data-testid="unlock">
      <h1>{newDatabase ? t("unlock.titleNew") : t("unlock.title")}</h1>
      <p>
        {before}
        <code>{dbPath}</code>
        {after}
      </p>
      <p className="muted">
        {keyringBefore}
        <span lang="en">{reason}</span>
      </p>
      {newDatabase && <h2>{t("team.local")}</h2>}
      <form onSubmit={submit}>
        <label>
          {t("unlock.passphrase")}
          <input
            name="passphrase"
            type="password"
            autoComplete={newDatabase ? "new-password" : "current-password"}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            aria-invalid={error instanceof IpcFailure && error.field === "passphrase" ? true : undefined}
          />
        </label>
        {newDatabase && (
          <label>
            {t("unlock.repeat")}
            <input
              name="passphrase-confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              aria-invalid={mismatch || undefined}
            />
          </label>
        )}
        {mismatch && (
          <p className="field-error" role="alert" data-error-for="passphrase-confirm">
            {t("unlock.mismatch")}
          </p>
        )}
        {error && (
          <p
            className="field-error"
            role="alert"
            lang="en"
            data-error-for={error instanceof IpcFailure && error.field ? error.field : "unlock"}
          >
            {messageOf(error)}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={unlock.isPending}>
            {newDatabase ? t("unlock.create") : t("unlock.submit")}
          </button>
        </div>
      </form>
      <p className="muted">{t("unlock.forgotten")}</p>
      {newDatabase && <TeamConnect />}
    </main>
  );
}

const MARK = "\u0000";

function splitAt(text: string): [string, string] {
  const at = text.indexOf(MARK);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + MARK.length)];
}
