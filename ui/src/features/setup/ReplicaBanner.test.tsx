import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ReplicaBanner } from "./ReplicaBanner";

afterEach(cleanup);

describe("the window on a read replica", () => {
  it("says plainly that it is a read-only copy that does not refresh by itself, and Reload reads everything again", () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, "invalidateQueries");
    render(
      <QueryClientProvider client={client}>
        <ReplicaBanner />
      </QueryClientProvider>,
    );
    const said = screen.getByTestId("replica-banner").textContent ?? "";
    expect(said).toContain("read-only copy (replica)");
    expect(said).toContain("does not refresh by itself");
    fireEvent.click(screen.getByTestId("replica-reload"));
    expect(invalidate).toHaveBeenCalledWith();
  });
});
