// The only door to the backend: generated bindings (./bindings.ts) wrapped so
// that a failure becomes a thrown IpcFailure carrying { code, message, field }.
import type { IpcError } from "./types";

export type IpcResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

export class IpcFailure extends Error {
  readonly code: string;
  readonly field: string | null;
  constructor(error: IpcError) {
    super(error.message);
    this.name = "IpcFailure";
    this.code = error.code;
    this.field = error.field ?? null;
  }
}

export async function call<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  const result = await pending;
  if (result.status === "ok") return result.data;
  throw new IpcFailure(result.error);
}

/** The message to show for any error, without assuming its shape. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong; the change was not saved.";
}
