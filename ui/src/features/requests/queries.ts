// The only module of this feature that talks to the backend.
import { type QueryClient, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { NewRequest, ProcessorInput, RequestDetail, RequestFilter, ListPage, Status } from "../../ipc/types";
import { call } from "../../ipc/call";

export const requestKeys = {
  all: ["requests"] as const,
  list: (filter: RequestFilter) => ["requests", "list", filter] as const,
  detail: (id: string) => ["requests", "detail", id] as const,
};

export const appInfoKey = ["app-info"] as const;

export function useAppInfo() {
  return useQuery({ queryKey: appInfoKey, queryFn: () => call(commands.appInfo()) });
}

export function useRequests(filter: RequestFilter) {
  return useQuery({
    queryKey: requestKeys.list(filter),
    queryFn: () => call(commands.listRequests(filter)),
    placeholderData: (previous) => previous,
  });
}

export function useRequestDetail(id: string) {
  return useQuery({ queryKey: requestKeys.detail(id), queryFn: () => call(commands.getRequest(id)) });
}

/**
 * The version of the request as the page loaded it (the detail query's cached copy), sent with a
 * change so that a change made on a stale page is refused (`conflict`); null when not loaded.
 */
export function loadedVersion(client: QueryClient, requestId: string): number | null {
  return client.getQueryData<RequestDetail>(requestKeys.detail(requestId))?.version ?? null;
}

/**
 * After the page's own change, reads the request again before the change counts as done, so
 * the next change is sent with the new version and is not refused as made on a stale copy.
 */
export async function afterOwnChange(client: QueryClient, requestId: string): Promise<void> {
  await client.refetchQueries({ queryKey: requestKeys.detail(requestId), exact: true });
}

/** The one thing the officer should do about the request now; under "requests", so every change refreshes it. */
export function useNextStep(id: string) {
  return useQuery({ queryKey: ["requests", "next-step", id] as const, queryFn: () => call(commands.nextStep(id)) });
}

export function useRegisterRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewRequest) => call(commands.registerRequest(input)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}

/** Registers a request received as processor for a customer, the controller (issue 19 item 12). */
export function useRegisterProcessorRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { input: NewRequest; role: ProcessorInput }) => call(commands.registerProcessorRequest(args.input, args.role)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}

/** The request's processor role, if it was received as processor for a customer. */
export function useProcessorRole(id: string) {
  return useQuery({ queryKey: [...requestKeys.all, "processor", id] as const, queryFn: () => call(commands.processorRole(id)) });
}

export function useChangeStatus() {
  const client = useQueryClient();
  return useMutation({
    // `version`: the copy the page loaded; a change on a stale copy is refused (`conflict`).
    mutationFn: (args: { id: string; to: Status; reason: string | null; version: number | null }) =>
      call(commands.changeStatus(args.id, args.to, args.reason, args.version)),
    onSuccess: (detail, args) => {
      // The new copy (and its version) at once, so a next change is not taken for a stale one.
      client.setQueryData(requestKeys.detail(args.id), detail);
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}

export function useLoadDemo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(commands.loadDemo()),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}

// ---- Finding things and acting on many (issue 9) ----

/** Rows per page fetched from the core while scrolling. */
export const PAGE_SIZE = 200;

export const workspaceKeys = {
  page: (filter: RequestFilter, page: number) => ["requests", "page", filter, page] as const,
  savedFilters: ["saved-filters"] as const,
};

export function requestPageQuery(filter: RequestFilter, page: number) {
  return {
    queryKey: workspaceKeys.page(filter, page),
    queryFn: () => call(commands.searchRequests({ ...filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE })),
    placeholderData: (previous: ListPage | undefined) => previous,
  };
}

export function useRequestPages(filter: RequestFilter, pages: number[]) {
  return useQueries({ queries: pages.map((p) => requestPageQuery(filter, p)) });
}

export function useSavedFilters() {
  return useQuery({ queryKey: workspaceKeys.savedFilters, queryFn: () => call(commands.listSavedFilters()) });
}

export function useSaveFilter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { name: string; filter: RequestFilter }) => call(commands.saveFilter(args.name, args.filter)),
    onSuccess: () => void client.invalidateQueries({ queryKey: workspaceKeys.savedFilters }),
  });
}

export function useDeleteSavedFilter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(commands.deleteSavedFilter(id)),
    onSuccess: () => void client.invalidateQueries({ queryKey: workspaceKeys.savedFilters }),
  });
}

/**
 * A bulk action on the selected requests. `asOf`: as of which point of the timeline the officer saw
 * them ([`listAsOf`]); if one changed after it, the whole action is refused (`conflict`).
 */
export type BulkAction = (
  { kind: "status"; ids: string[]; to: Status; reason: string | null } | { kind: "duplicate"; ids: string[]; original: string }
) & { asOf: number | null };

/**
 * As of when the officer saw the selected rows: for each, the newest loaded list page showing it
 * (what its row shows now); the oldest of those. A row on no loaded page counts with the oldest
 * page loaded. `null` when no page is loaded (nothing is checked).
 */
export function listAsOf(pages: ListPage[], ids: string[]): number | null {
  if (pages.length === 0) return null;
  const oldest = Math.min(...pages.map((p) => p.as_of));
  const seen = ids.map((id) => {
    const showing = pages.filter((p) => p.requests.some((r) => r.id === id)).map((p) => p.as_of);
    return showing.length > 0 ? Math.max(...showing) : oldest;
  });
  return seen.length > 0 ? Math.min(...seen) : oldest;
}

/** The list pages loaded in this window (the rows the officer has seen). */
function loadedPages(client: QueryClient): ListPage[] {
  return client
    .getQueriesData<ListPage>({ queryKey: ["requests", "page"] })
    .flatMap(([, page]) => (page && typeof page.as_of === "number" ? [page] : []));
}

/** Reads `listAsOf` of the loaded list pages, for the rows `ids`. */
export function useListAsOf() {
  const client = useQueryClient();
  return (ids: string[]) => listAsOf(loadedPages(client), ids);
}

/** After a bulk action refused on a stale list: the list read again (pages out of view dropped). */
export function useReloadList() {
  const client = useQueryClient();
  return () => {
    client.removeQueries({ queryKey: ["requests", "page"], type: "inactive" });
    void client.invalidateQueries({ queryKey: requestKeys.all });
  };
}

export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: BulkAction) =>
      action.kind === "status"
        ? call(commands.bulkChangeStatus(action.ids, action.to, action.reason, action.asOf))
        : call(commands.bulkMarkDuplicate(action.ids, action.original, action.asOf)),
    onSuccess: () => {
      // Pages out of view still show the rows as they were before this action.
      client.removeQueries({ queryKey: ["requests", "page"], type: "inactive" });
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}

/**
 * The root of the query keys of a request's work: its tasks, identity checks, evidence, possible
 * duplicates and package. A change to any of them can change the others (a task's evidence, the
 * package's contents), so they are refreshed together.
 */
export const requestWorkKey = ["work"] as const;

/** After a change to a request's work: that work, the request (its timeline and dates) and the audit check. */
export function useRequestWorkChanged() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: requestWorkKey });
    void client.invalidateQueries({ queryKey: requestKeys.all });
    void client.invalidateQueries({ queryKey: ["audit"] });
  };
}

export function usePossibleDuplicates(requestId: string) {
  return useQuery({
    queryKey: [...requestWorkKey, "duplicates", requestId] as const,
    queryFn: () => call(commands.possibleDuplicates(requestId)),
  });
}

export function useLinkRequests() {
  const invalidate = useRequestWorkChanged();
  return useMutation({
    mutationFn: (args: { requestId: string; otherId: string }) => call(commands.linkRequests(args.requestId, args.otherId)),
    onSuccess: invalidate,
  });
}

export function useMarkDuplicate() {
  const invalidate = useRequestWorkChanged();
  return useMutation({
    mutationFn: (args: { requestId: string; ofId: string }) => call(commands.markDuplicate(args.requestId, args.ofId)),
    onSuccess: invalidate,
  });
}
