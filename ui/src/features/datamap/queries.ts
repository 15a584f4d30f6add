// The only module of the data map feature that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { DataFormat, SystemInput } from "../../ipc/types";
import { call } from "../../ipc/call";

export const datamapKeys = { all: ["datamap"] as const };

export function useSystems() {
  return useQuery({ queryKey: datamapKeys.all, queryFn: () => call(commands.listSystems()) });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: datamapKeys.all });
    void client.invalidateQueries({ queryKey: ["audit"] });
  };
}

export function useSaveSystem() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { id: string | null; input: SystemInput }) => call(commands.saveSystem(args.id, args.input)),
    onSuccess: invalidate,
  });
}

export function useDeleteSystem() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => call(commands.deleteSystem(id)), onSuccess: invalidate });
}

export function useImportDatamap() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { text: string; format: DataFormat }) => call(commands.importDatamap(args.text, args.format)),
    onSuccess: invalidate,
  });
}

export function useExportDatamap() {
  return useMutation({ mutationFn: (format: DataFormat) => call(commands.exportDatamap(format)) });
}

export function useLoadStarterMap() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => call(commands.loadStarterMap()), onSuccess: invalidate });
}
