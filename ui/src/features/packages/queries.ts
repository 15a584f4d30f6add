// The only module of the packages feature that talks to the backend.
import { Channel } from "@tauri-apps/api/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseOpenPath, chooseSavePath } from "../../ipc/files";
import type { FactStatement, Lang, PackageProgress } from "../../ipc/types";
import { requestKeys, requestWorkKey } from "../requests/queries";

export function useBuildPackage(onProgress: (p: PackageProgress) => void) {
  const client = useQueryClient();
  return useMutation({
    /** Asks where to save (the OS dialog), then builds; null when the officer cancelled the dialog. */
    mutationFn: async (args: { id: string; suggestedName: string; title: string; passphrase: string | null; lang: Lang | null }) => {
      const out = await chooseSavePath("package", args.suggestedName, args.title);
      if (out === null) return null;
      const channel = new Channel<PackageProgress>();
      channel.onmessage = onProgress;
      return call(commands.buildPackage(args.id, out, args.passphrase, args.lang, channel));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: requestKeys.all }),
  });
}

/** A generated passphrase (six words, about 77 bits), for the officer to send by another channel. */
export function useGeneratePassphrase() {
  return useMutation({ mutationFn: () => call(commands.generatePassphrase()) });
}

/** Verifies a package: the one just built (`path`), or one the officer picks in the OS dialog (`title`). */
export function useVerifyPackage() {
  return useMutation({
    mutationFn: async (args: { path: string; passphrase: string | null } | { title: string; passphrase: string | null }) => {
      const path = "path" in args ? args.path : await chooseOpenPath("package", args.title);
      return path === null ? null : call(commands.verifyPackage(path, args.passphrase));
    },
  });
}

/** Records the officer's statement of a fact the data map lacks; the contents then no longer list it as missing. */
export function useStateFact(requestId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (statement: FactStatement) => call(commands.statePackageFact(requestId, statement)),
    // The contents no longer list the fact, and the request's timeline shows the statement.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: [...requestWorkKey, "package", requestId] });
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}

/** What the package of a request will hold. Under `requestWorkKey`, so any change to its tasks or evidence refreshes it. */
export function usePackageContents(requestId: string) {
  return useQuery({
    queryKey: [...requestWorkKey, "package", requestId] as const,
    queryFn: () => call(commands.packageContents(requestId)),
  });
}
