// The only module of the register feature that talks to the backend.
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseSavePath } from "../../ipc/files";
import type { ExportFormat } from "../../ipc/types";

export const metricsKey = (year: number) => ["metrics", year] as const;

/** Asks where to save (the OS dialog), then writes the register; null when the officer cancelled. */
export function useExportRegister() {
  return useMutation({
    mutationFn: async (args: { format: ExportFormat; suggestedName: string; title: string }) => {
      const out = await chooseSavePath("register", args.suggestedName, args.title);
      return out === null ? null : call(commands.exportRegister(args.format, out));
    },
  });
}

/** Asks where to save (the OS dialog), then writes the year's figures; null when the officer cancelled. */
export function useExportMetrics() {
  return useMutation({
    mutationFn: async (args: { year: number; title: string }) => {
      const out = await chooseSavePath("metrics", `figures-${args.year}.csv`, args.title);
      return out === null ? null : call(commands.exportMetrics(args.year, out));
    },
  });
}

export function useYearMetrics(year: number) {
  return useQuery({ queryKey: metricsKey(year), queryFn: () => call(commands.yearMetrics(year)) });
}
