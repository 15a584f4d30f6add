// The only module of the identity feature that talks to the backend: the identity checks of one request.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { IdentityInput } from "../../ipc/types";
import { call } from "../../ipc/call";
import { afterOwnChange, loadedVersion, requestWorkKey, useRequestWorkChanged } from "../requests/queries";

export const identityKeys = {
  checks: (requestId: string) => [...requestWorkKey, "identity", requestId] as const,
};

export function useIdentityChecks(requestId: string) {
  return useQuery({ queryKey: identityKeys.checks(requestId), queryFn: () => call(commands.listIdentityChecks(requestId)) });
}

// Each change is sent with the request's version as the page loaded it: a stale page is refused (`conflict`).
export function useVerifyIdentity() {
  const invalidate = useRequestWorkChanged();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (args: { requestId: string; input: IdentityInput }) => {
      const check = await call(commands.verifyIdentity(args.requestId, args.input, loadedVersion(client, args.requestId)));
      await afterOwnChange(client, args.requestId);
      return check;
    },
    onSuccess: invalidate,
  });
}

export function useRequestIdentity() {
  const invalidate = useRequestWorkChanged();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (args: { requestId: string; on: string }) => {
      await call(commands.requestIdentity(args.requestId, args.on, loadedVersion(client, args.requestId)));
      await afterOwnChange(client, args.requestId);
    },
    onSuccess: invalidate,
  });
}
