import { useState } from "react";
import { IpcFailure, messageOf } from "../../ipc/call";
import type { PackageProgress, Request } from "../../ipc/types";
import { PackageContents, VerifiedFiles } from "./PackageContents";
import { humanBytes, percentOf } from "./progress";
import { useBuildPackage, usePackageContents, useVerifyPackage } from "./queries";

type Props = { request: Request };

/** Build the answer package of an access or portability request, watch it being written, verify it. */
export function PackagePanel({ request }: Props) {
  const [out, setOut] = useState("");
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [progress, setProgress] = useState<PackageProgress | null>(null);
  const build = useBuildPackage(setProgress);
  const verify = useVerifyPackage();
  const contents = usePackageContents(request.id);
  const error = build.error instanceof IpcFailure ? build.error : null;
  const pass = encrypt && passphrase !== "" ? passphrase : null;

  return (
    <div className="package-panel" data-testid="package-panel">
      <p className="muted">
        One ZIP for the subject: a readable index, the cover letter (GDPR Art. 15), their data as JSON and CSV, the
        evidence per system, and a manifest with the SHA-256 of every file.
      </p>
      <PackageContents contents={contents.data} error={contents.error} />
      <form
        className="clock-form"
        onSubmit={(e) => {
          e.preventDefault();
          setProgress(null);
          verify.reset();
          // Read back as soon as it is written: every file's SHA-256 recomputed against the manifest.
          build.mutate({ id: request.id, out, passphrase: pass }, { onSuccess: (r) => verify.mutate({ path: r.path, passphrase: pass }) });
        }}
      >
        <label>
          Save to (empty: the packages folder beside the database)
          <input name="package-out" data-testid="package-out" value={out} onChange={(e) => setOut(e.target.value)} size={48} />
          {error?.field === "out" && (
            <span className="field-error" data-error-for="out">
              {messageOf(build.error)}
            </span>
          )}
        </label>
        <label className="check-inline">
          <input type="checkbox" data-testid="package-encrypt" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} /> Encrypt
          (AES-256)
        </label>
        {encrypt && (
          <label>
            Passphrase (12+ characters; share it by phone, not with the file)
            <input
              type="password"
              name="package-passphrase"
              data-testid="package-passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="new-password"
            />
            {error?.field === "passphrase" && (
              <span className="field-error" data-error-for="passphrase">
                {messageOf(build.error)}
              </span>
            )}
          </label>
        )}
        <button type="submit" className="primary" data-testid="build-package" disabled={build.isPending}>
          {build.isPending ? "Building…" : "Build package"}
        </button>
      </form>
      {(build.isPending || progress) && (
        <div className="package-progress">
          <progress data-testid="package-progress" max={100} value={percentOf(progress)} aria-label="Package written" />{" "}
          <span data-testid="package-percent">{percentOf(progress)}%</span> <span className="muted">{progress?.file}</span>
        </div>
      )}
      {build.isError && error?.field !== "out" && error?.field !== "passphrase" && (
        <p role="alert" className="error" data-testid="package-error">
          {messageOf(build.error)}
        </p>
      )}
      {build.data && (
        <div className="notice" data-testid="package-result">
          <p>
            Written to <code data-testid="package-path">{build.data.path}</code>: {build.data.files} files,{" "}
            {humanBytes(build.data.bytes)}
            {build.data.encrypted ? ", AES-256 encrypted" : ""}.
          </p>
          <button
            type="button"
            data-testid="verify-package"
            disabled={verify.isPending}
            onClick={() => verify.mutate({ path: build.data.path, passphrase: pass })}
          >
            Verify package
          </button>
          {verify.isPending && <span className="muted"> …</span>}
          {verify.data && (
            <p data-testid="package-verified" className={verify.data.ok ? "" : "error"}>
              {verify.data.ok
                ? `Verified: ${verify.data.files_checked} files, every SHA-256 matches the manifest.`
                : `Verification failed: ${verify.data.problems.join("; ")}`}
            </p>
          )}
          {verify.data && <VerifiedFiles files={verify.data.files} />}
          {verify.isError && (
            <p role="alert" className="error">
              {messageOf(verify.error)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
