// The only door to the backend: generated bindings (./bindings.ts) wrapped so
// that a failure becomes a thrown IpcFailure carrying { code, message, field }.
import type { ErrorCode, IpcError } from "./types";

export type IpcResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

export class IpcFailure extends Error {
  /** The closed set the backend sends (`ErrorCode`): compare with a literal of that type, so a typo fails `tsc`. */
  readonly code: ErrorCode;
  readonly field: string | null;
  constructor(error: IpcError) {
    super(error.message);
    this.name = "IpcFailure";
    this.code = error.code;
    this.field = error.field ?? null;
  }
}

/** Whether `error` is a backend failure with `code`; `code` is typed, so `isCode(e, "not_chosn")` does not compile. */
export function isCode(error: unknown, code: ErrorCode): boolean {
  return error instanceof IpcFailure && error.code === code;
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
