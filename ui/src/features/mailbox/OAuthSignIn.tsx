// The OAuth sign-in of the privacy mailbox (Microsoft 365, Google Workspace, another provider):
// "Sign in…" asks the provider for a code (the device-code flow; Google: the browser sign-in's
// address), shows it large with a Copy button and the address to open (selectable: the app opens
// no browser by itself), and waits; Cancel stops waiting and nothing is kept. Once signed in, the
// refresh token is in the OS keyring (never shown) and the background fetch starts. "Sign out"
// deletes it.
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { messageOf } from "../../ipc/call";
import type { ImapPassword, SignInFailure } from "../../ipc/types";
import { useI18n, type MessageKey } from "../../i18n";
import { mailboxKeys, useCancelSignIn, useSignInStatus, useSignOut, useStartSignIn } from "./queries";

const KEPT_TEXT: Record<ImapPassword, MessageKey> = {
  environment: "mailbox.oauthEnvironment",
  keyring: "mailbox.oauthKeyring",
  session: "mailbox.oauthSession",
  missing: "mailbox.oauthMissing",
};

const FAILURE_TEXT: Record<SignInFailure, MessageKey> = {
  declined: "mailbox.failDeclined",
  expired: "mailbox.failExpired",
  refused: "mailbox.failRefused",
  network: "mailbox.failNetwork",
  keyring: "mailbox.failKeyring",
  other: "mailbox.failOther",
};

async function copyText(text: string) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission in this webview: copy through a selected, hidden field.
    const field = document.createElement("textarea");
    field.value = text;
    document.body.appendChild(field);
    field.select();
    document.execCommand("copy");
    field.remove();
  }
}

/** `saved`: a mailbox with an OAuth sign-in is saved; `kept`: where its sign-in is now;
 *  `onChange`: a sign-in starts or ends (an earlier connection test's result is stale). */
export function OAuthSignIn({ saved, kept, onChange }: { saved: boolean; kept: ImapPassword | null; onChange: () => void }) {
  const { t, instant } = useI18n();
  const client = useQueryClient();
  const status = useSignInStatus();
  const start = useStartSignIn();
  const cancel = useCancelSignIn();
  const signOut = useSignOut();
  const [copied, setCopied] = useState(false);
  const s = status.data;
  const waiting = s?.state === "waiting";

  // Signed in: the settings' "where is the sign-in kept" line is read again.
  useEffect(() => {
    if (s?.state === "signed-in") void client.invalidateQueries({ queryKey: mailboxKeys.settings });
  }, [s?.state, s?.attempt, client]);

  const failed = start.error ?? cancel.error ?? signOut.error;
  return (
    <div className="oauth-sign-in" data-testid="oauth-sign-in" aria-live="polite">
      <p className="muted" data-testid="sign-in-kept">
        {kept ? t(KEPT_TEXT[kept]) : ""}
      </p>
      {!saved && <p className="muted">{t("mailbox.signInSaveFirst")}</p>}
      <p>
        <button
          type="button"
          data-testid="sign-in-mailbox"
          disabled={!saved || waiting || start.isPending}
          onClick={() => {
            setCopied(false);
            onChange();
            start.mutate();
          }}
        >
          {t("mailbox.signIn")}
        </button>{" "}
        {(kept === "keyring" || kept === "session") && (
          <button
            type="button"
            data-testid="sign-out-mailbox"
            disabled={waiting || signOut.isPending}
            onClick={() => {
              onChange();
              signOut.mutate();
            }}
          >
            {t("mailbox.signOut")}
          </button>
        )}
      </p>
      {start.isPending && <p>{t("mailbox.signInAsking")}</p>}
      {waiting && s.address && (
        <div className="sign-in-code" data-testid="sign-in-waiting">
          <p>{t(s.user_code ? "mailbox.signInCode" : "mailbox.signInBrowser")}</p>
          <p>
            <code className="selectable" data-testid="sign-in-address">
              {s.address}
            </code>
          </p>
          {s.user_code && (
            <p>
              <strong className="user-code" data-testid="sign-in-code" style={{ fontSize: "2em", letterSpacing: "0.1em" }}>
                {s.user_code}
              </strong>{" "}
              <button
                type="button"
                data-testid="copy-sign-in-code"
                onClick={() => void copyText(s.user_code ?? "").then(() => setCopied(true))}
              >
                {t("mailbox.copy")}
              </button>{" "}
              {copied && <span className="muted">{t("mailbox.copied")}</span>}
            </p>
          )}
          <p className="muted">
            {s.expires_at ? t("mailbox.signInWaiting", { time: instant(s.expires_at) }) : t("mailbox.signInWaitingBrowser")}
          </p>
          <p>
            <button type="button" data-testid="cancel-sign-in" onClick={() => cancel.mutate()}>
              {t("mailbox.cancel")}
            </button>
          </p>
        </div>
      )}
      {s?.state === "signed-in" && (
        <p className="notice" data-testid="sign-in-done">
          {t(s.kept === "session" ? "mailbox.signedInSession" : "mailbox.signedInKeyring", { account: s.account ?? "" })}
        </p>
      )}
      {s?.state === "cancelled" && (
        <p className="notice" data-testid="sign-in-cancelled">
          {t("mailbox.signInCancelled")}
        </p>
      )}
      {s?.state === "failed" && (
        <p role="alert" className="error" data-testid="sign-in-error">
          {t(FAILURE_TEXT[s.failure ?? "other"])}{" "}
          <span className="muted" lang="en">
            ({s.error})
          </span>
        </p>
      )}
      {failed && (
        <p role="alert" className="error" lang="en" data-testid="sign-in-error">
          {messageOf(failed)}
        </p>
      )}
    </div>
  );
}
