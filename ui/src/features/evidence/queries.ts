// The only module of the evidence feature that talks to the backend: the evidence files of one request.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseOpenPath, chooseSavePath } from "../../ipc/files";
import { afterOwnChange, loadedVersion, requestWorkKey, useRequestWorkChanged } from "../requests/queries";

export const evidenceKeys = {
  files: (requestId: string) => [...requestWorkKey, "evidence", requestId] as const,
};

export function useEvidence(requestId: string) {
  return useQuery({ queryKey: evidenceKeys.files(requestId), queryFn: () => call(commands.listEvidence(requestId)) });
}

/** The OS open dialog for a file to attach; resolves to the picked file's path, or null when cancelled. */
export function useChooseEvidenceFile() {
  return useMutation({ mutationFn: (title: string) => chooseOpenPath("evidence", title) });
}

/**
 * Attaches the file picked with useChooseEvidenceFile: the window sends its path (granted by that dialog),
 * and the backend streams the file from disk, so its bytes never cross the IPC and any size fits.
 */
// Each change is sent with the request's version as the page loaded it: a stale page is refused
// (`conflict`, "changed by NAME at TIME — reload") and nothing is written.
export function useAddEvidence() {
  const invalidate = useRequestWorkChanged();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (args: { requestId: string; path: string; taskId: string | null; identityDocument: boolean }) => {
      const version = loadedVersion(client, args.requestId);
      const added = await call(commands.addEvidence(args.requestId, args.path, args.taskId, args.identityDocument, version));
      await afterOwnChange(client, args.requestId);
      return added;
    },
    onSuccess: invalidate,
  });
}

export function useRemoveEvidence() {
  const invalidate = useRequestWorkChanged();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (args: { id: string; requestId: string; reason: string }) => {
      await call(commands.removeEvidence(args.id, args.reason, loadedVersion(client, args.requestId)));
      await afterOwnChange(client, args.requestId);
    },
    onSuccess: invalidate,
  });
}

/**
 * Asks where to save (the OS dialog), then writes a copy of the stored file there, decrypted and checked as it is
 * written; resolves to the bytes written, or null when the officer cancelled.
 */
export function useSaveEvidence() {
  return useMutation({
    mutationFn: async (args: { id: string; name: string; title: string }) => {
      const out = await chooseSavePath("evidence", args.name, args.title);
      return out === null ? null : call(commands.saveEvidence(args.id, out));
    },
  });
}
