import { describe, expect, it } from "vitest";
import { call, IpcFailure, isCode } from "./call";

describe("call", () => {
  it("returns the data of a successful command", async () => {
    await expect(call(Promise.resolve({ status: "ok" as const, data: 42 }))).resolves.toBe(42);
  });

  it("turns a command error into an IpcFailure that names the field", async () => {
    const failing = Promise.resolve({
      status: "error" as const,
      error: { code: "invalid" as const, message: "email: is not a valid email address", field: "email" },
    });
    const error = await call(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcFailure);
    expect((error as IpcFailure).field).toBe("email");
    expect((error as IpcFailure).code).toBe("invalid");
    expect(isCode(error, "invalid")).toBe(true);
    expect(isCode(error, "not_found")).toBe(false);
    expect(isCode(new Error("invalid"), "invalid")).toBe(false);
  });

  it("accepts only the backend's error codes", () => {
    // @ts-expect-error "not_chosn" is not an ErrorCode: a typo in a branch on the code fails tsc.
    expect(isCode(null, "not_chosn")).toBe(false);
  });
});
