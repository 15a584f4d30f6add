import { describe, expect, it } from "vitest";
import { call, IpcFailure } from "./call";

describe("call", () => {
  it("returns the data of a successful command", async () => {
    await expect(call(Promise.resolve({ status: "ok" as const, data: 42 }))).resolves.toBe(42);
  });

  it("turns a command error into an IpcFailure that names the field", async () => {
    const failing = Promise.resolve({
      status: "error" as const,
      error: { code: "invalid", message: "email: is not a valid email address", field: "email" },
    });
    const error = await call(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcFailure);
    expect((error as IpcFailure).field).toBe("email");
    expect((error as IpcFailure).code).toBe("invalid");
  });
});
