// The only module of the audit feature that talks to the backend.
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { DataFormat } from "../../ipc/types";
import { call } from "../../ipc/call";

export function useAuditReport() {
  return useQuery({ queryKey: ["audit"], queryFn: () => call(commands.verifyAudit()) });
}

export function useExportAudit() {
  return useMutation({ mutationFn: (format: DataFormat) => call(commands.exportAudit(format)) });
}
