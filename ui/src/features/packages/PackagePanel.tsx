import { useState } from "react";
import { useI18n } from "../../i18n";
import { IpcFailure, isCode, messageOf } from "../../ipc/call";
import type { Lang, PackageProgress, Request } from "../../ipc/types";
import { PackageContents, VerifiedFiles } from "./PackageContents";
import { humanBytes, percentOf } from "./progress";
import { useBuildPackage, useGeneratePassphrase, usePackageContents, useStateFact, useVerifyPackage } from "./queries";

/** `team`: the register is a team's database, where the built package is also kept for every officer. */
type Props = { request: Request; team?: boolean };

/**
 * Build the answer package of an access or portability request (saved where the officer picks in the
 * OS dialog), watch it being written, verify it — or verify another package file picked the same way.
 */
export function PackagePanel({ request, team = false }: Props) {
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  // The cover letter's language; "" is the mail settings' default, as `rightsdesk package` without --lang.
  const [lang, setLang] = useState<Lang | "">("");
  const [progress, setProgress] = useState<PackageProgress | null>(null);
  // Tasks open and no evidence: the officer is asked first ("Build anyway").
  const [confirming, setConfirming] = useState(false);
  // A generated passphrase, shown once for the officer to send by another channel.
  const [shown, setShown] = useState<string | null>(null);
  const generate = useGeneratePassphrase();
  const build = useBuildPackage(setProgress);
  const verify = useVerifyPackage();
  const contents = usePackageContents(request.id);
  const stateFact = useStateFact(request.id);
  const { t } = useI18n();
  const error = build.error instanceof IpcFailure ? build.error : null;
  const pass = encrypt && passphrase !== "" ? passphrase : null;

  return (
    <div className="package-panel" data-testid="package-panel">
      <p className="muted">{t("pkg.intro")}</p>
      {team && (
        <p className="muted" data-testid="package-team-kept">
          {t("pkg.teamKept")}
        </p>
      )}
      <PackageContents contents={contents.data} error={contents.error} onState={(s) => stateFact.mutate(s)} />
      {stateFact.error && (
        <p role="alert" className="error" data-testid="package-fact-error" lang="en">
          {messageOf(stateFact.error)}
        </p>
      )}
      <form
        className="clock-form"
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e.nativeEvent as SubmitEvent).submitter;
          if (contents.data?.warn_open_tasks && submitter?.dataset.confirm !== "yes") {
            setConfirming(true);
            return;
          }
          setConfirming(false);
          setShown(null);
          setProgress(null);
          verify.reset();
          // Read back as soon as it is written: every file's SHA-256 recomputed against the manifest.
          build.mutate(
            {
              id: request.id,
              suggestedName: `${request.reference}-package.zip`,
              title: t("pkg.saveTitle"),
              passphrase: pass,
              lang: lang || null,
            },
            { onSuccess: (r) => r && verify.mutate({ path: r.path, passphrase: pass }) },
          );
        }}
      >
        <label>
          {t("pkg.lang")}{" "}
          <select name="package-lang" data-testid="package-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang | "")}>
            <option value="">{t("pkg.langDefault")}</option>
            <option value="en" lang="en">
              English
            </option>
            <option value="de" lang="de">
              Deutsch
            </option>
            <option value="fr" lang="fr">
              Français
            </option>
          </select>
        </label>{" "}
        <label className="check-inline">
          <input type="checkbox" data-testid="package-encrypt" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} />{" "}
          {t("pkg.encrypt")}
        </label>
        {encrypt && (
          <label>
            {t("pkg.passphrase")}
            <input
              type="password"
              name="package-passphrase"
              data-testid="package-passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="new-password"
            />{" "}
            <button
              type="button"
              data-testid="generate-passphrase"
              disabled={generate.isPending}
              onClick={() =>
                generate.mutate(undefined, {
                  onSuccess: (p) => {
                    setPassphrase(p);
                    setShown(p);
                  },
                })
              }
            >
              {t("pkg.generate")}
            </button>
            {error?.field === "passphrase" && (
              <span className="field-error" data-error-for="passphrase">
                {messageOf(build.error)}
              </span>
            )}
          </label>
        )}
        {encrypt && shown && (
          <div className="notice" data-testid="generated-passphrase-notice">
            <p>{t("pkg.generated")}</p>
            <p>
              <code data-testid="generated-passphrase">{shown}</code>{" "}
              <button type="button" data-testid="passphrase-noted" onClick={() => setShown(null)}>
                {t("pkg.noted")}
              </button>
            </p>
          </div>
        )}
        {generate.isError && (
          <p role="alert" className="error" lang="en">
            {messageOf(generate.error)}
          </p>
        )}
        {confirming && contents.data?.warn_open_tasks && (
          <div role="alert" className="notice warning" data-testid="package-open-tasks-warning">
            <p>{t("pkg.openTasks", { count: contents.data.open_tasks })}</p>
            <button type="submit" data-confirm="yes" data-testid="build-anyway" disabled={build.isPending}>
              {t("pkg.buildAnyway")}
            </button>{" "}
            <button type="button" data-testid="build-cancel" onClick={() => setConfirming(false)}>
              {t("pkg.cancel")}
            </button>
          </div>
        )}
        <button type="submit" className="primary" data-testid="build-package" disabled={build.isPending}>
          {build.isPending ? t("pkg.building") : t("pkg.build")}
        </button>{" "}
        <button
          type="button"
          data-testid="verify-package-file"
          disabled={verify.isPending}
          onClick={() => verify.mutate({ title: t("pkg.openTitle"), passphrase: pass })}
        >
          {t("pkg.verifyOther")}
        </button>
        {(error?.field === "out" || isCode(error, "not_chosen")) && (
          <p role="alert" className="field-error" data-error-for="out" data-testid="package-out-error" lang="en">
            {messageOf(build.error)}
          </p>
        )}
      </form>
      {(build.isPending || progress) && (
        <div className="package-progress">
          <progress data-testid="package-progress" max={100} value={percentOf(progress)} aria-label={t("pkg.progress")} />{" "}
          <span data-testid="package-percent">{percentOf(progress)}%</span> <span className="muted">{progress?.file}</span>
        </div>
      )}
      {build.isError && error?.field !== "out" && !isCode(error, "not_chosen") && error?.field !== "passphrase" && (
        <p role="alert" className="error" data-testid="package-error">
          {messageOf(build.error)}
        </p>
      )}
      {build.data && (
        <div className="notice" data-testid="package-result">
          <p>
            {t("pkg.writtenTo")} <code data-testid="package-path">{build.data.path}</code>:{" "}
            {t("pkg.summary", { files: build.data.files, size: humanBytes(build.data.bytes) })}
            {build.data.encrypted ? t("pkg.encrypted") : ""}.
          </p>
          {team && <p data-testid="package-kept-in-team">{t("pkg.keptInTeam")}</p>}
          <button
            type="button"
            data-testid="verify-package"
            disabled={verify.isPending}
            onClick={() => build.data && verify.mutate({ path: build.data.path, passphrase: pass })}
          >
            {t("pkg.verify")}
          </button>
        </div>
      )}
      {verify.isPending && <span className="muted"> …</span>}
      {verify.data && (
        <p data-testid="package-verified" className={verify.data.ok ? "" : "error"}>
          {verify.data.ok
            ? t("pkg.verified", { files: verify.data.files_checked })
            : t("pkg.verifyFailed", { problems: verify.data.problems.join("; ") })}
        </p>
      )}
      {verify.data && <VerifiedFiles files={verify.data.files} />}
      {verify.isError && (
        <p role="alert" className="error" data-testid="verify-error" lang="en">
          {messageOf(verify.error)}
        </p>
      )}
    </div>
  );
}
