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
import { MailSettings } from "../features/mail/MailSettings";
import { Outbox } from "../features/mail/Outbox";
import { Reminders } from "../features/mail/Reminders";
import { DataMap } from "../features/datamap/DataMap";
import { AuditTrail } from "../features/audit/AuditTrail";
import { ImportScreen } from "../features/import/ImportScreen";
import { RegisterScreen } from "../features/register/RegisterScreen";
import { SafetyScreen } from "../features/safety/SafetyScreen";

type Screen =
  | { kind: "list" }
  | { kind: "new" }
  | { kind: "detail"; id: string }
  | { kind: "first-run" }
  | { kind: "calculator" }
  | { kind: "settings" }
  | { kind: "outbox" }
  | { kind: "reminders" }
  | { kind: "mail-settings" }
  | { kind: "datamap" }
  | { kind: "audit" }
  | { kind: "import" }
  | { kind: "register" }
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
        <button type="button" data-testid="nav-import" className={current.kind === "import" ? "active" : ""} onClick={() => setScreen({ kind: "import" })}>
          Import
        </button>
        <button type="button" data-testid="nav-register" className={current.kind === "register" ? "active" : ""} onClick={() => setScreen({ kind: "register" })}>
          Register &amp; figures
        </button>
        <button type="button" data-testid="nav-settings" className={current.kind === "settings" ? "active" : ""} onClick={() => setScreen({ kind: "settings" })}>
          Settings
        </button>
        <button type="button" data-testid="nav-outbox" className={current.kind === "outbox" ? "active" : ""} onClick={() => setScreen({ kind: "outbox" })}>
          Outbox
        </button>
        <button type="button" data-testid="nav-reminders" className={current.kind === "reminders" ? "active" : ""} onClick={() => setScreen({ kind: "reminders" })}>
          Reminders
        </button>
        <button type="button" data-testid="nav-mail-settings" className={current.kind === "mail-settings" ? "active" : ""} onClick={() => setScreen({ kind: "mail-settings" })}>
          Mail settings
        </button>
        <button type="button" data-testid="nav-datamap" className={current.kind === "datamap" ? "active" : ""} onClick={() => setScreen({ kind: "datamap" })}>
          Data map
        </button>
        <button type="button" data-testid="nav-audit" className={current.kind === "audit" ? "active" : ""} onClick={() => setScreen({ kind: "audit" })}>
          Audit trail
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
        {current.kind === "import" && <ImportScreen info={data} onDone={toList} />}
        {current.kind === "register" && <RegisterScreen info={data} />}
        {current.kind === "settings" && <DeadlineSettings />}
        {current.kind === "outbox" && <Outbox />}
        {current.kind === "reminders" && <Reminders onOpen={(id) => setScreen({ kind: "detail", id })} />}
        {current.kind === "mail-settings" && <MailSettings />}
        {current.kind === "datamap" && <DataMap />}
        {current.kind === "audit" && <AuditTrail />}
        {current.kind === "safety" && <SafetyScreen />}
      </main>
    </div>
  );
}
