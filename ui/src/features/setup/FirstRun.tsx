import { messageOf } from "../../ipc/call";
import { useLoadDemo } from "../requests/queries";

type Props = { dbPath: string; onDone: () => void };

/** Shown once, on an empty database: start with demo data or with nothing. */
export function FirstRun({ dbPath, onDone }: Props) {
  const demo = useLoadDemo();
  return (
    <section data-testid="first-run" aria-labelledby="welcome-heading" className="panel welcome">
      <h1 id="welcome-heading">Welcome to Rightsdesk</h1>
      <p>
        Your requests are kept in a local database on this computer:
        <br />
        <code>{dbPath}</code>
      </p>
      <p>
        To look around first, load a demo data set: invented people with access, erasure and opt-out requests under
        GDPR, UK GDPR and CCPA at every stage. You can start over later by using a new database file.
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="load-demo"
          disabled={demo.isPending}
          onClick={() => demo.mutate(undefined, { onSuccess: onDone })}
        >
          Load demo data
        </button>
        <button type="button" data-testid="start-empty" onClick={onDone}>
          Start with an empty register
        </button>
      </div>
      {demo.isError && (
        <p role="alert" className="error">
          {messageOf(demo.error)}
        </p>
      )}
    </section>
  );
}
