// The only module of the package feature that talks to the backend.
import { Channel } from "@tauri-apps/api/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import type { PackageProgress } from "../../ipc/types";
import { requestKeys } from "../requests/queries";

export function useBuildPackage(onProgress: (p: PackageProgress) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: string; out: string; passphrase: string | null }) => {
      const channel = new Channel<PackageProgress>();
      channel.onmessage = onProgress;
      return call(commands.buildPackage(args.id, args.out, args.passphrase, channel));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: requestKeys.all }),
  });
}

export function useVerifyPackage() {
  return useMutation({
    mutationFn: (args: { path: string; passphrase: string | null }) => call(commands.verifyPackage(args.path, args.passphrase)),
  });
}

/** What the package of a request will hold. Under "work", so any change to its tasks or evidence refreshes it. */
export function usePackageContents(requestId: string) {
  return useQuery({
    queryKey: ["work", "package", requestId] as const,
    queryFn: () => call(commands.packageContents(requestId)),
  });
}
