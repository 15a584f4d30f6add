import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Evidence } from "../../ipc/types";

// The backend is the real Tauri IPC, which cannot run in jsdom: the generated bindings are replaced by a
// stand-in that answers like the shell would (the dialog picks a file; the add returns the stored row).
const chooseOpenPath = vi.fn();
const addEvidence = vi.fn();
const chooseSavePath = vi.fn();
const saveEvidence = vi.fn();
let savePicked: string | null = "/home/officer/copy.json";
const picked = "/home/officer/exports/stripe export.json";
const stored: Evidence = {
  id: "e1",
  request_id: "r1",
  task_id: null,
  kind: "evidence",
  name: "stripe export.json",
  sha256: "ab".repeat(32),
  size: 31_457_297,
  delete_after: null,
  added_by: "officer",
  added_at: "2026-11-23T10:00:00Z",
};
let files: Evidence[] = [];
vi.mock("../../ipc/bindings", () => ({
  commands: {
    listEvidence: () => Promise.resolve({ status: "ok", data: files }),
    listTasks: () => Promise.resolve({ status: "ok", data: [] }),
    chooseOpenPath: (...args: unknown[]) => {
      chooseOpenPath(...args);
      return Promise.resolve({ status: "ok", data: picked });
    },
    addEvidence: (...args: unknown[]) => {
      addEvidence(...args);
      files = [stored];
      return Promise.resolve({ status: "ok", data: stored });
    },
    chooseSavePath: (...args: unknown[]) => {
      chooseSavePath(...args);
      return Promise.resolve({ status: "ok", data: savePicked });
    },
    saveEvidence: (...args: unknown[]) => {
      saveEvidence(...args);
      return Promise.resolve({ status: "ok", data: stored.size });
    },
  },
}));

const { EvidencePanel } = await import("./EvidencePanel");

afterEach(cleanup);

describe("attaching evidence", () => {
  it("picks the file in the backend's dialog and sends its path, never the file's bytes", async () => {
    // The request page loaded the request at version 7: the attach is sent with it.
    const client = new QueryClient();
    client.setQueryDefaults(["requests", "detail", "r1"], { queryFn: () => ({ version: 8 }) });
    client.setQueryData(["requests", "detail", "r1"], { version: 7 });
    render(
      <QueryClientProvider client={client}>
        <EvidencePanel requestId="r1" closed={false} />
      </QueryClientProvider>,
    );
    const attach = (await screen.findByTestId("attach-evidence")) as HTMLButtonElement;
    expect(attach.disabled).toBe(true);
    expect(screen.getByTestId("evidence-chosen").textContent).toBe("No file chosen");

    fireEvent.click(screen.getByTestId("evidence-choose"));
    await waitFor(() => expect(screen.getByTestId("evidence-chosen").textContent).toBe("stripe export.json"));
    expect(chooseOpenPath).toHaveBeenCalledWith("evidence", "Choose the file to attach");

    fireEvent.click(attach);
    await waitFor(() => expect(addEvidence).toHaveBeenCalledTimes(1));
    expect(addEvidence).toHaveBeenCalledWith("r1", picked, null, false, 7);
    // Read again after its own change, so the next change goes with the new version.
    await waitFor(() => expect(client.getQueryData(["requests", "detail", "r1"])).toEqual({ version: 8 }));
    expect(addEvidence.mock.calls[0].some((a) => Array.isArray(a) || a instanceof Uint8Array)).toBe(false);

    // Stored: listed with its size, and the form is ready for the next file.
    expect((await screen.findByTestId("evidence-name")).textContent).toBe("stripe export.json");
    expect(screen.getByTestId("evidence-item").textContent).toContain("30.0 MB");
    await waitFor(() => expect(screen.getByTestId("evidence-chosen").textContent).toBe("No file chosen"));
  });
});

describe("saving a copy", () => {
  it("asks where in the save dialog, named as the file, and writes it there; cancelling writes nothing", async () => {
    files = [stored];
    render(
      <QueryClientProvider client={new QueryClient()}>
        <EvidencePanel requestId="r1" closed={true} />
      </QueryClientProvider>,
    );
    // Offered on a closed request too: reading a file out changes nothing.
    fireEvent.click(await screen.findByTestId("evidence-save"));
    await waitFor(() => expect(saveEvidence).toHaveBeenCalledWith("e1", "/home/officer/copy.json"));
    expect(chooseSavePath).toHaveBeenCalledWith("evidence", "stripe export.json", "Save a copy of the file");
    expect((await screen.findByTestId("evidence-saved")).textContent).toBe("Saved a copy (30.0 MB).");

    savePicked = null;
    fireEvent.click(screen.getByTestId("evidence-save"));
    await waitFor(() => expect(chooseSavePath).toHaveBeenCalledTimes(2));
    expect(saveEvidence).toHaveBeenCalledTimes(1);
  });
});
