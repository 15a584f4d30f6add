import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, filterOf, nextSort, pagesFor, sortState, viewOf } from "./view";

describe("the request list's view", () => {
  it("clicking a column sorts by it, clicking again reverses it", () => {
    expect(nextSort("due-asc", "subject")).toBe("subject-asc");
    expect(nextSort("subject-asc", "subject")).toBe("subject-desc");
    expect(nextSort("subject-desc", "subject")).toBe("subject-asc");
    expect(sortState("subject-desc", "subject")).toBe("descending");
    expect(sortState("subject-desc", "due")).toBe("none");
  });

  it("a saved view round-trips through the core's filter", () => {
    const view = {
      ...DEFAULT_VIEW,
      search: " ada ",
      status: "in-progress" as const,
      openOnly: true,
      assignedToMe: true,
      sort: "regime-desc" as const,
    };
    const filter = filterOf(view);
    expect(filter.search).toBe("ada");
    expect(viewOf(filter)).toEqual({ ...view, search: "ada" });
    expect(filterOf(DEFAULT_VIEW).search).toBeNull();
  });

  it("scrolling deep into 100,000 rows asks only for the pages on screen", () => {
    expect(pagesFor([50_000, 50_001, 50_020], 200)).toEqual([0, 250]);
    expect(pagesFor([199, 200], 200)).toEqual([0, 1]);
  });
});
