import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

// The list's bulk actions send as of when the officer saw the selected rows (issue 18 item 4):
// a selected request changed since is refused ("changed by NAME at TIME — reload"), shown in the
// bulk bar with a Reload that reads the list again.
const sent: { name: string; args: unknown[] }[] = [];
let refuse = true;
vi.mock("../../ipc/bindings", () => ({
  commands: new Proxy(
    {},
    {
      get:
        (_t, name: string) =>
        (...args: unknown[]) => {
          sent.push({ name, args });
          if (name === "bulkChangeStatus" && refuse)
            return Promise.resolve({
              status: "error",
              error: { code: "conflict", message: "changed by anna at 2026-11-04 10:00:00 UTC — reload", field: null },
            });
          return Promise.resolve({ status: "ok", data: { batch: "b", changed: 2, references: [] } });
        },
    },
  ),
}));

const { I18nProvider } = await import("../../i18n");
const { BulkBar } = await import("./BulkBar");
const { listAsOf } = await import("./queries");

afterEach(() => {
  cleanup();
  sent.length = 0;
  refuse = true;
});

const info = {
  today: "2026-11-04",
  time_zone: "UTC",
  regimes: [],
  request_types: [],
  statuses: [
    { value: "received", label: "Received" },
    { value: "in_progress", label: "In progress" },
  ],
  channels: [],
};

const row = (id: string) => ({ id, reference: `DSR-2026-000${id}` });
const page = (asOf: number, offset: number, ids: string[]) => ({ total: 3, offset, as_of: asOf, requests: ids.map(row) });

describe("bulk actions on the list", () => {
  it("take, for each selected row, the newest page showing it, and the oldest of those", () => {
    const pages = [page(3, 0, ["1", "2"]), page(7, 0, ["1", "2"]), page(9, 200, ["3"])] as never[];
    expect(listAsOf(pages, ["1", "3"])).toBe(7);
    expect(listAsOf(pages, ["3"])).toBe(9);
    expect(listAsOf(pages, ["4"]), "a row on no loaded page: the oldest page").toBe(3);
    expect(listAsOf([], ["1"])).toBeNull();
  });

  it("send the list's as_of, show a refusal on a stale list with Reload, and go through after", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    client.setQueryData(["requests", "page", {}, 0], page(7, 0, ["1", "2"]));
    client.setQueryData(["requests", "page", {}, 1], page(9, 200, ["3"]));
    const done = vi.fn();
    render(
      <QueryClientProvider client={client}>
        <I18nProvider override="en">
          <BulkBar info={info as never} selected={[row("1"), row("3")]} onClear={() => {}} onDone={done} />
        </I18nProvider>
      </QueryClientProvider>,
    );
    const apply = async () => {
      fireEvent.change(document.querySelector("select[name=bulk-status]")!, { target: { value: "in_progress" } });
      fireEvent.click(screen.getByTestId("bulk-apply"));
      fireEvent.click(await screen.findByTestId("confirm-yes"));
    };
    await apply();
    const alert = await screen.findByText(/changed by anna at 2026-11-04 10:00:00 UTC — reload/);
    expect(sent.find((s) => s.name === "bulkChangeStatus")?.args).toEqual([["1", "3"], "in_progress", null, 7]);
    expect(done).not.toHaveBeenCalled();
    // Reload: the refusal goes, the list is read again (the pages out of view are dropped).
    const reload = screen.getByTestId("bulk-conflict-reload");
    expect(alert.contains(reload)).toBe(true);
    fireEvent.click(reload);
    await waitFor(() => expect(screen.queryByTestId("bulk-conflict-reload")).toBeNull());
    expect(client.getQueryData(["requests", "page", {}, 0])).toBeUndefined();
    // The reloaded list is newer: the same action goes through, sent with the new as_of.
    client.setQueryData(["requests", "page", {}, 0], page(12, 0, ["1", "2", "3"]));
    refuse = false;
    sent.length = 0;
    await apply();
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(sent.find((s) => s.name === "bulkChangeStatus")?.args).toEqual([["1", "3"], "in_progress", null, 12]);
  });
});
