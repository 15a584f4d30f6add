import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PackageContents as Contents } from "../../ipc/types";
import { PackageContents, VerifiedFiles } from "./PackageContents";

afterEach(cleanup);

const contents: Contents = {
  reference: "DSR-2025-0001",
  systems: [
    {
      name: "CRM",
      purposes: ["Customer support", "Billing"],
      categories: ["Name"],
      recipients: [],
      retention: "3 years",
      source: "",
      legal_basis: "",
      transfers: null,
      automated_decisions: null,
      location: "",
      missing: [],
    },
  ],
  missing: [],
  open_tasks: 0,
  warn_open_tasks: false,
  evidence: [
    { path: "evidence/crm/export.csv", system: "CRM", name: "export.csv", bytes: 2048, stored: true, kept_as_is: false },
    { path: "evidence/stripe/statement.pdf", system: "Stripe", name: "statement.pdf", bytes: 100, stored: true, kept_as_is: true },
  ],
};

describe("what the package will hold", () => {
  it("lists the cover letter's systems with their purposes and each evidence file under its system", () => {
    render(<PackageContents contents={contents} error={null} />);
    expect(screen.getByTestId("package-system").textContent).toBe("CRM — Customer support; Billing");
    const items = screen.getAllByTestId("package-evidence-item").map((li) => li.textContent);
    expect(items).toEqual([
      "evidence/crm/export.csv (2.0 KiB)",
      "evidence/stripe/statement.pdf (100 B, already compressed, stored as it is)",
    ]);
  });

  it("names each system and fact the data map lacks, and records the officer's statement", () => {
    const onState = vi.fn();
    const missing = [
      {
        system: "CRM",
        fact: "automated_decisions",
        label: "automated decision-making (none, or its logic, significance and consequences)",
      },
    ];
    render(<PackageContents contents={{ ...contents, missing }} error={null} onState={onState} />);
    const item = screen.getByTestId("package-missing-fact");
    expect(item.getAttribute("data-system")).toBe("CRM");
    expect(item.textContent).toContain("CRM: automated decision-making");
    fireEvent.change(screen.getByTestId("package-fact-statement"), { target: { value: " none: no scoring " } });
    fireEvent.click(screen.getByTestId("package-state-fact"));
    expect(onState).toHaveBeenCalledWith({ system: "CRM", fact: "automated_decisions", statement: "none: no scoring" });
  });

  it("shows no missing facts when the map records them all", () => {
    render(<PackageContents contents={contents} error={null} />);
    expect(screen.queryByTestId("package-missing")).toBeNull();
  });

  it("says so when no evidence was collected", () => {
    render(<PackageContents contents={{ ...contents, evidence: [] }} error={null} />);
    expect(screen.getByTestId("package-no-evidence")).toBeTruthy();
  });

  it("marks a file whose recomputed SHA-256 does not match the manifest", () => {
    render(
      <VerifiedFiles
        files={[
          { path: "index.html", sha256: "ab".repeat(32), bytes: 10, ok: true },
          { path: "evidence/crm/export.csv", sha256: "cd".repeat(32), bytes: 20, ok: false },
        ]}
      />,
    );
    const rows = screen.getAllByTestId("verified-file");
    expect(rows.map((r) => r.getAttribute("data-ok"))).toEqual(["true", "false"]);
    expect(rows[1].textContent).toContain("does not match the manifest");
  });
});
