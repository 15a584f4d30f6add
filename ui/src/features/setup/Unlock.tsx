import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { commands } from "../../ipc/bindings";
import { call, IpcFailure, messageOf } from "../../ipc/call";
import { appInfoKey } from "../requests/queries";

type Props = { dbPath: string; reason: string; newDatabase: boolean };

/** The database is encrypted; with no key in the OS keyring, the officer types its passphrase. */
export function Unlock({ dbPath, reason, newDatabase }: Props) {
  const client = useQueryClient();
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
  return (
    <main className="panel welcome" data-testid="unlock">
      <h1>{newDatabase ? "Protect your new register" : "Unlock the register"}</h1>
      <p>
        Rightsdesk encrypts its database. {newDatabase ? "Choose a passphrase of at least 8 characters for" : "Enter the passphrase of"}{" "}
        <code>{dbPath}</code>.
      </p>
      <p className="muted">The OS keyring could not hold the key: {reason}</p>
      <form onSubmit={submit}>
        <label>
          Passphrase
          <input name="passphrase" type="password" autoComplete={newDatabase ? "new-password" : "current-password"} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-invalid={error instanceof IpcFailure && error.field === "passphrase" ? true : undefined} />
        </label>
        {newDatabase && (
          <label>
            Repeat the passphrase
            <input name="passphrase-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-invalid={mismatch || undefined} />
          </label>
        )}
        {mismatch && (
          <p className="field-error" role="alert" data-error-for="passphrase-confirm">
            The two passphrases differ.
          </p>
        )}
        {error && (
          <p className="field-error" role="alert" data-error-for={error instanceof IpcFailure && error.field ? error.field : "unlock"}>
            {messageOf(error)}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={unlock.isPending}>
            {newDatabase ? "Create the encrypted register" : "Unlock"}
          </button>
        </div>
      </form>
      <p className="muted">Forgotten passphrases cannot be recovered: the data is encrypted with it. Keep it in your password manager.</p>
    </main>
  );
}
