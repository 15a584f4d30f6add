// The only module of the register feature that talks to the backend.
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import type { ExportFormat } from "../../ipc/types";

export const metricsKey = (year: number) => ["metrics", year] as const;

export function useExportRegister() {
  return useMutation({
    mutationFn: (args: { format: ExportFormat; out: string }) => call(commands.exportRegister(args.format, args.out)),
  });
}

export function useExportMetrics() {
  return useMutation({ mutationFn: (args: { year: number; out: string }) => call(commands.exportMetrics(args.year, args.out)) });
}

export function useYearMetrics(year: number) {
  return useQuery({ queryKey: metricsKey(year), queryFn: () => call(commands.yearMetrics(year)) });
}
