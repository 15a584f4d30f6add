import { useState } from "react";
import type { AppInfo, RequestFilter, RequestType, SortOrder, Status } from "../../ipc/types";
import { messageOf } from "../../ipc/call";
import { daysLeftText, statusText, urgencyOf } from "./format";
import { useRequests } from "./queries";

type Props = {
  info: AppInfo;
  onOpen: (id: string) => void;
  onNew: () => void;
};

export function RequestList({ info, onOpen, onNew }: Props) {
  const [status, setStatus] = useState<Status | "">("");
  const [type, setType] = useState<RequestType | "">("");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<SortOrder>("due-asc");
  const filter: RequestFilter = {
    status: status === "" ? null : status,
    request_type: type === "" ? null : type,
    open_only: false,
    search: search.trim() === "" ? null : search,
    sort,
    limit: 1000,
    offset: null,
  };
  const requests = useRequests(filter);
  const typeLabel = (value: string) => info.request_types.find((t) => t.value === value)?.label ?? value;
  const regimeName = (id: string) => info.regimes.find((r) => r.id === id)?.name ?? id;

  return (
    <section aria-labelledby="list-heading" className="list-screen">
      <header className="toolbar">
        <h1 id="list-heading">Requests</h1>
        <button type="button" className="primary" data-testid="new-request" onClick={onNew}>
          New request
        </button>
      </header>
      <div className="filters" role="search">
        <label>
          Search
          <input
            name="search"
            type="search"
            placeholder="Name, email or reference"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          Status
          <select name="filter-status" value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
            <option value="">All statuses</option>
            {info.statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select name="filter-type" value={type} onChange={(e) => setType(e.target.value as RequestType | "")}>
            <option value="">All types</option>
            {info.request_types.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {requests.isError && (
        <p role="alert" className="error">
          {messageOf(requests.error)}
        </p>
      )}
      <table data-testid="request-list" className="requests">
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Subject</th>
            <th scope="col">Type</th>
            <th scope="col">Regime</th>
            <th scope="col">Status</th>
            <th scope="col" data-sort="due" aria-sort={sort === "due-asc" ? "ascending" : sort === "due-desc" ? "descending" : "none"}>
              <button type="button" onClick={() => setSort(sort === "due-asc" ? "due-desc" : "due-asc")}>
                Due {sort === "due-asc" ? "▲" : sort === "due-desc" ? "▼" : ""}
              </button>
            </th>
            <th scope="col" title="The internal target: a few working days before the legal date">Target</th>
            <th scope="col">Days left</th>
          </tr>
        </thead>
        <tbody>
          {(requests.data ?? []).map((r) => (
            <tr
              key={r.id}
              data-testid="request-row"
              data-reference={r.reference}
              tabIndex={0}
              onClick={() => onOpen(r.id)}
              onKeyDown={(e) => {
                if (e.key === "Enter") onOpen(r.id);
              }}
            >
              <td data-col="reference">{r.reference}</td>
              <td data-col="subject">
                <div>{r.subject.name}</div>
                <div className="muted">{r.subject.email ?? ""}</div>
              </td>
              <td data-col="type">{typeLabel(r.type)}</td>
              <td data-col="regime">
                {regimeName(r.regime)} <span className="muted">{r.jurisdiction}</span>
              </td>
              <td data-col="status">
                <span className={`status status-${r.status}`}>{statusText(r.status)}</span>
              </td>
              <td data-col="due" className="date">{r.due ?? "no statutory date"}</td>
              <td data-col="target" className="date muted">{r.schedule.target ?? "—"}</td>
              <td data-col="days-left" className={`urgency-${urgencyOf(r.days_left)}`}>
                {daysLeftText(r.days_left)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {requests.isSuccess && requests.data.length === 0 && (
        <p data-testid="list-empty" className="empty">
          No requests match. Register one with “New request”.
        </p>
      )}
    </section>
  );
}
