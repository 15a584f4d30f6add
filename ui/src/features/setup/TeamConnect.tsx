import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { commands } from "../../ipc/bindings";
import { call, IpcFailure, messageOf } from "../../ipc/call";
import { useI18n } from "../../i18n";

/**
 * "Use the register on this computer": the remembered team register's address is forgotten and
 * the local register opens (or asks for its passphrase).
 */
export function UseLocalRegister() {
  const client = useQueryClient();
  const { t } = useI18n();
  const local = useMutation({
    mutationFn: () => call(commands.useLocalRegister()),
    onSuccess: () => void client.resetQueries(),
  });
  return (
    <>
      <button type="button" className="link" data-testid="use-local" disabled={local.isPending} onClick={() => local.mutate()}>
        {t("team.local")}
      </button>
      {local.isError && (
        <span role="alert" className="error" lang="en">
          {" "}
          {messageOf(local.error)}
        </span>
      )}
    </>
  );
}

/**
 * "Connect to a team register": the address and the officer's own password. On success the
 * backend keeps the password in the OS keyring (never in a file) and the address in the app's
 * config folder, and the whole window reads the team register from then on.
 */
export function TeamConnect({ initialAddress = "" }: { initialAddress?: string }) {
  const client = useQueryClient();
  const { t } = useI18n();
  const [address, setAddress] = useState(initialAddress);
  const [password, setPassword] = useState("");
  const connect = useMutation({
    mutationFn: (a: { address: string; password: string }) => call(commands.connectTeam(a.address, a.password)),
    onSuccess: (done) => {
      setPassword("");
      // Everything the window shows came from the register it had before.
      if (done.password_kept) void client.resetQueries();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    connect.mutate({ address, password });
  }

  const error = connect.error;
  return (
    <section className="team-connect" data-testid="team-connect" aria-labelledby="team-connect-heading">
      <h2 id="team-connect-heading">{t("team.title")}</h2>
      <p>{t("team.intro")}</p>
      <form onSubmit={submit}>
        <label>
          {t("team.address")}
          <input
            name="team-address"
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            aria-invalid={error instanceof IpcFailure && error.field === "address" ? true : undefined}
            aria-describedby="team-address-hint"
          />
        </label>
        <p className="muted" id="team-address-hint">
          {t("team.addressHint")}
        </p>
        <label>
          {t("team.password")}
          <input
            name="team-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="field-error" role="alert" lang="en" data-error-for="team-connect">
            {messageOf(error)}
          </p>
        )}
        {connect.data && !connect.data.password_kept && (
          <p className="notice" role="status" data-testid="team-not-kept">
            {t("team.notKept")}{" "}
            <button type="button" className="link" onClick={() => void client.resetQueries()}>
              {t("team.continue")}
            </button>
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" data-testid="team-connect-submit" disabled={connect.isPending || address.trim() === ""}>
            {connect.isPending ? t("team.connecting") : t("team.connect")}
          </button>
        </div>
      </form>
    </section>
  );
}
