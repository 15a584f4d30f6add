import { DuplicatesBanner } from "./DuplicatesBanner";
import { EvidencePanel } from "../evidence/EvidencePanel";
import { IdentityPanel } from "../identity/IdentityPanel";
import { TasksPanel } from "../tasks/TasksPanel";

/** The work behind the answer, shown in the request's detail view. */
export function WorkPanels({ requestId, closed }: { requestId: string; closed: boolean }) {
  return (
    <div className="work-panels">
      <DuplicatesBanner requestId={requestId} closed={closed} />
      <div id="section-identity" className="detail-section">
        <IdentityPanel requestId={requestId} closed={closed} />
      </div>
      <div id="section-tasks" className="detail-section">
        <TasksPanel requestId={requestId} closed={closed} />
      </div>
      <EvidencePanel requestId={requestId} closed={closed} />
    </div>
  );
}
