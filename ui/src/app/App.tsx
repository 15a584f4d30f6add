import { useState } from "react";
import { messageOf } from "../ipc/call";
import { NewRequestForm } from "../features/requests/NewRequestForm";
import { RequestDetail } from "../features/requests/RequestDetail";
import { RequestList } from "../features/requests/RequestList";
import { useAppInfo } from "../features/requests/queries";
import { FirstRun } from "../features/setup/FirstRun";
import { Calculator } from "../features/deadlines/Calculator";
import { DeadlineSettings } from "../features/settings/DeadlineSettings";
import { Unlock } from "../features/setup/Unlock";
import { SafetyScreen } from "../features/safety/SafetyScreen";

type Screen =
  | { kind: "list" }
  | { kind: "new" }
  | { kind: "detail"; id: string }
  | { kind: "first-run" }
  | { kind: "calculator" }
  | { kind: "settings" }
  | { kind: "safety" };

export function App() {
  const info = useAppInfo();
  const [screen, setScreen] = useState<Screen | null>(null);

  if (info.isPending) return <p className="loading">Opening the register…</p>;
  if (info.isError) {
    return (
      <main className="panel">
        <p role="alert" className="error">
          {messageOf(info.error)}
        </p>
      </main>
    );
  }
  const data = info.data;
  if (data.open_error) {
    return (
      <main className="panel" data-testid="open-error">
        <h1>The database could not be opened</h1>
        <p role="alert" className="error">
          {data.open_error.message}
        </p>
        <p>Nothing was changed. Set RIGHTSDESK_DB to another file, or install the Rightsdesk version that wrote it.</p>
      </main>
    );
  }
  if (data.locked) {
    return <Unlock dbPath={data.db_path} reason={data.locked.reason} newDatabase={data.locked.new_database} />;
  }
  const current: Screen = screen ?? (data.request_count === 0 ? { kind: "first-run" } : { kind: "list" });
  const toList = () => setScreen({ kind: "list" });

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Rightsdesk</div>
        <button type="button" className={current.kind === "list" ? "active" : ""} onClick={toList}>
          Requests
        </button>
        <button type="button" data-testid="nav-calculator" className={current.kind === "calculator" ? "active" : ""} onClick={() => setScreen({ kind: "calculator" })}>
          Deadline calculator
        </button>
        <button type="button" data-testid="nav-settings" className={current.kind === "settings" ? "active" : ""} onClick={() => setScreen({ kind: "settings" })}>
          Settings
        </button>
        <button type="button" data-testid="nav-safety" className={current.kind === "safety" ? "active" : ""} onClick={() => setScreen({ kind: "safety" })}>
          Backups and retention
        </button>
        <div className="org muted">{data.org_name ?? ""}</div>
      </nav>
      <main>
        {current.kind === "first-run" && <FirstRun dbPath={data.db_path} onDone={toList} />}
        {current.kind === "list" && (
          <RequestList
            info={data}
            onOpen={(id) => setScreen({ kind: "detail", id })}
            onNew={() => setScreen({ kind: "new" })}
          />
        )}
        {current.kind === "new" && (
          <NewRequestForm info={data} onCreated={(id) => setScreen({ kind: "detail", id })} onCancel={toList} />
        )}
        {current.kind === "detail" && <RequestDetail info={data} id={current.id} onBack={toList} />}
        {current.kind === "calculator" && <Calculator info={data} />}
        {current.kind === "settings" && <DeadlineSettings />}
        {current.kind === "safety" && <SafetyScreen />}
      </main>
    </div>
  );
}
