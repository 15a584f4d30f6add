import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";

// The core as the bindings answer: each change appends an event, so the request's version
// moves on; reading the request takes a moment (as IPC does).
let version = 1;
vi.mock("../../ipc/bindings", () => ({
  commands: {
    getRequest: (id: string) =>
      new Promise((resolve) => setTimeout(() => resolve({ status: "ok", data: { request: { id }, version } }), 30)),
    updateTask: (taskId: string) => {
      version += 1;
      return Promise.resolve({ status: "ok", data: { id: taskId, request_id: "r1", status: "done" } });
    },
    assignTask: (taskId: string, assignee: string | null) => {
      version += 1;
      return Promise.resolve({ status: "ok", data: { id: taskId, request_id: "r1", assignee } });
    },
  },
}));

const { useAssignTask, useUpdateTask } = await import("./queries");
const { loadedVersion, useRequestDetail } = await import("../requests/queries");

function wrapper(client: QueryClient) {
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe("the page's own change", () => {
  it("counts as done only once the request is read again, so the next change carries the new version", async () => {
    const client = new QueryClient();
    const { result } = renderHook(() => ({ detail: useRequestDetail("r1"), update: useUpdateTask(), assign: useAssignTask() }), {
      wrapper: wrapper(client),
    });
    await waitFor(() => expect(result.current.detail.data?.version).toBe(1));
    await result.current.update.mutateAsync({ taskId: "t1", change: { status: "done", note: "", exemption: null }, version: 1 });
    // Not refused as stale when the officer closes the next task at once.
    expect(loadedVersion(client, "r1")).toBe(2);
    await result.current.assign.mutateAsync({ taskId: "t2", assignee: "anna", version: 2 });
    expect(loadedVersion(client, "r1")).toBe(3);
  });
});
