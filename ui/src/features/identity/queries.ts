// The only module of the identity feature that talks to the backend: the identity checks of one request.
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { IdentityInput } from "../../ipc/types";
import { call } from "../../ipc/call";
import { requestWorkKey, useRequestWorkChanged } from "../requests/queries";

export const identityKeys = {
  checks: (requestId: string) => [...requestWorkKey, "identity", requestId] as const,
};

export function useIdentityChecks(requestId: string) {
  return useQuery({ queryKey: identityKeys.checks(requestId), queryFn: () => call(commands.listIdentityChecks(requestId)) });
}

export function useVerifyIdentity() {
  const invalidate = useRequestWorkChanged();
  return useMutation({
    mutationFn: (args: { requestId: string; input: IdentityInput }) => call(commands.verifyIdentity(args.requestId, args.input)),
    onSuccess: invalidate,
  });
}

export function useRequestIdentity() {
  const invalidate = useRequestWorkChanged();
  return useMutation({
    mutationFn: (args: { requestId: string; on: string }) => call(commands.requestIdentity(args.requestId, args.on)),
    onSuccess: invalidate,
  });
}
