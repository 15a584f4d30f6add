import { messageOf } from "../../ipc/call";
import { useState } from "react";
import type { CheckedFile, PackageContents as Contents, FactStatement, MissingFact } from "../../ipc/types";
import { useI18n } from "../../i18n";
import { humanBytes } from "./progress";

/** What the package will hold, as the core plans it: the systems its cover letter describes and the evidence files. */
export function PackageContents({
  contents,
  error,
  onState,
}: {
  contents: Contents | undefined;
  error: unknown;
  /** Records the officer's statement of a missing fact (none: the statements cannot be made here). */
  onState?: (statement: FactStatement) => void;
}) {
  const { t } = useI18n();
  if (error) {
    return (
      <p role="alert" className="error" data-testid="package-contents-error">
        {messageOf(error)}
      </p>
    );
  }
  if (!contents) return null;
  return (
    <div className="package-contents" data-testid="package-contents">
      {contents.missing.length > 0 && (
        <div role="alert" className="error" data-testid="package-missing">
          <p>{t("pkg.missing")}</p>
          <ul>
            {contents.missing.map((m) => (
              <MissingItem key={`${m.system}/${m.fact}`} missing={m} onState={onState} />
            ))}
          </ul>
        </div>
      )}
      <h3>{t("pkg.systems")}</h3>
      <ul data-testid="package-systems">
        {contents.systems.map((s) => (
          <li key={s.name} data-testid="package-system" data-system={s.name}>
            <strong>{s.name}</strong>
            {s.purposes.length > 0 && <span className="muted"> — {s.purposes.join("; ")}</span>}
          </li>
        ))}
      </ul>
      <h3>{t("pkg.evidence")}</h3>
      {contents.evidence.length === 0 ? (
        <p className="muted" data-testid="package-no-evidence">
          {t("pkg.noEvidence")}
        </p>
      ) : (
        <ul data-testid="package-evidence">
          {contents.evidence.map((e) => (
            <li key={e.path} data-testid="package-evidence-item" data-path={e.path}>
              <code>{e.path}</code>{" "}
              <span className="muted">
                ({humanBytes(e.bytes)}
                {e.kept_as_is ? `, ${t("pkg.keptAsIs")}` : ""})
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One missing fact: the system and the fact, and a field for the officer's statement. */
function MissingItem({ missing, onState }: { missing: MissingFact; onState?: (statement: FactStatement) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const label = t("pkg.statement", { system: missing.system, fact: missing.label });
  return (
    <li data-testid="package-missing-fact" data-system={missing.system} data-fact={missing.fact}>
      <strong>{missing.system}</strong>: {missing.label}
      {onState && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) onState({ system: missing.system, fact: missing.fact, statement: text.trim() });
          }}
        >
          <input aria-label={label} value={text} onChange={(e) => setText(e.target.value)} data-testid="package-fact-statement" />
          <button type="submit" disabled={!text.trim()} data-testid="package-state-fact">
            {t("pkg.state")}
          </button>
        </form>
      )}
    </li>
  );
}

/** Every file of a verified package with the SHA-256 recomputed from the ZIP. */
export function VerifiedFiles({ files }: { files: CheckedFile[] }) {
  const { t } = useI18n();
  return (
    <table className="verified-files" data-testid="package-verified-files">
      <caption className="muted">{t("pkg.recomputed")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("pkg.file")}</th>
          <th scope="col">{t("pkg.size")}</th>
          <th scope="col">SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.path} data-testid="verified-file" data-path={f.path} data-ok={f.ok ? "true" : "false"}>
            <td>
              <code>{f.path}</code>
            </td>
            <td>{humanBytes(f.bytes)}</td>
            <td>
              <code className="hash">{f.sha256 || "—"}</code> {f.ok ? "✓" : t("pkg.mismatch")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
