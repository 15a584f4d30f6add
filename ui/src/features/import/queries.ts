// The only module of the import feature that talks to the backend.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import type { ImportOptions } from "../../ipc/types";
import { appInfoKey, requestKeys } from "../requests/queries";

export function usePreviewImport() {
  return useMutation({
    mutationFn: (args: { content: number[]; options: ImportOptions }) => call(commands.previewImport(args.content, args.options)),
  });
}

export function useCommitImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { fileName: string; content: number[]; options: ImportOptions }) =>
      call(commands.commitImport(args.fileName, args.content, args.options)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}
