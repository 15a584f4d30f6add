// The only module of the evidence feature that talks to the backend: the evidence files of one request.
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { requestWorkKey, useRequestWorkChanged } from "../requests/queries";

export const evidenceKeys = {
  files: (requestId: string) => [...requestWorkKey, "evidence", requestId] as const,
};

export function useEvidence(requestId: string) {
  return useQuery({ queryKey: evidenceKeys.files(requestId), queryFn: () => call(commands.listEvidence(requestId)) });
}

export function useAddEvidence() {
  const invalidate = useRequestWorkChanged();
  return useMutation({
    mutationFn: async (args: { requestId: string; file: File; taskId: string | null; identityDocument: boolean }) => {
      const bytes = Array.from(new Uint8Array(await args.file.arrayBuffer()));
      return call(commands.addEvidence(args.requestId, args.file.name, bytes, args.taskId, args.identityDocument));
    },
    onSuccess: invalidate,
  });
}

export function useRemoveEvidence() {
  const invalidate = useRequestWorkChanged();
  return useMutation({
    mutationFn: (args: { id: string; reason: string }) => call(commands.removeEvidence(args.id, args.reason)),
    onSuccess: invalidate,
  });
}
