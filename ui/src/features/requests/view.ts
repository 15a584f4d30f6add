// The list's view: what the officer searched, filtered and sorted by. Kept by
// the app shell so that it survives opening a request and coming back.
import type { RequestFilter, RequestType, SortOrder, Status } from "../../ipc/types";

export type ListView = {
  search: string;
  status: Status | "";
  type: RequestType | "";
  openOnly: boolean;
  /** Only requests with an open task assigned to the officer. */
  assignedToMe: boolean;
  sort: SortOrder;
};

export const DEFAULT_VIEW: ListView = { search: "", status: "", type: "", openOnly: false, assignedToMe: false, sort: "due-asc" };

/** The core's filter for a view (paging is added per page). */
export function filterOf(view: ListView): RequestFilter {
  return {
    status: view.status === "" ? null : view.status,
    request_type: view.type === "" ? null : view.type,
    open_only: view.openOnly,
    assigned_to_me: view.assignedToMe,
    search: view.search.trim() === "" ? null : view.search.trim(),
    sort: view.sort,
    limit: null,
    offset: null,
  };
}

export function viewOf(filter: RequestFilter): ListView {
  return {
    search: filter.search ?? "",
    status: filter.status ?? "",
    type: filter.request_type ?? "",
    openOnly: filter.open_only,
    assignedToMe: filter.assigned_to_me ?? false,
    sort: filter.sort,
  };
}

export type Column = "reference" | "subject" | "type" | "regime" | "status" | "target" | "due";

const ORDERS: Record<Column, [SortOrder, SortOrder]> = {
  reference: ["reference-asc", "reference-desc"],
  subject: ["subject-asc", "subject-desc"],
  type: ["type-asc", "type-desc"],
  regime: ["regime-asc", "regime-desc"],
  status: ["status-asc", "status-desc"],
  target: ["target-asc", "target-desc"],
  due: ["due-asc", "due-desc"],
};

/** How a column is sorted now. */
export function sortState(sort: SortOrder, column: Column): "ascending" | "descending" | "none" {
  const [asc, desc] = ORDERS[column];
  return sort === asc ? "ascending" : sort === desc ? "descending" : "none";
}

/** Clicking a column sorts by it ascending; clicking it again reverses. */
export function nextSort(sort: SortOrder, column: Column): SortOrder {
  const [asc, desc] = ORDERS[column];
  return sort === asc ? desc : asc;
}

/** Which pages (of `pageSize` rows) hold the rows with these indexes; page 0 always (it carries the total). */
export function pagesFor(indexes: number[], pageSize: number): number[] {
  const pages = new Set<number>([0]);
  for (const i of indexes) pages.add(Math.floor(i / pageSize));
  return [...pages].sort((a, b) => a - b);
}
