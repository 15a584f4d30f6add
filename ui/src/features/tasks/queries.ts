// The only module of the tasks feature that talks to the backend: tasks,
// identity checks and evidence files of one request.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { IdentityInput, TaskUpdate } from "../../ipc/types";
import { call } from "../../ipc/call";

export const workKeys = {
  tasks: (requestId: string) => ["work", "tasks", requestId] as const,
  identity: (requestId: string) => ["work", "identity", requestId] as const,
  evidence: (requestId: string) => ["work", "evidence", requestId] as const,
};

/** After any change: this feature's lists, the request (its timeline and dates) and the audit check. */
function useInvalidate() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ["work"] });
    void client.invalidateQueries({ queryKey: ["requests"] });
    void client.invalidateQueries({ queryKey: ["audit"] });
  };
}

export function useTasks(requestId: string) {
  return useQuery({ queryKey: workKeys.tasks(requestId), queryFn: () => call(commands.listTasks(requestId)) });
}

export function useGenerateTasks() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (requestId: string) => call(commands.generateTasks(requestId)), onSuccess: invalidate });
}

export function useUpdateTask() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { taskId: string; change: TaskUpdate }) => call(commands.updateTask(args.taskId, args.change)),
    onSuccess: invalidate,
  });
}

export function useIdentityChecks(requestId: string) {
  return useQuery({ queryKey: workKeys.identity(requestId), queryFn: () => call(commands.listIdentityChecks(requestId)) });
}

export function useVerifyIdentity() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { requestId: string; input: IdentityInput }) => call(commands.verifyIdentity(args.requestId, args.input)),
    onSuccess: invalidate,
  });
}

export function useRequestIdentity() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { requestId: string; on: string }) => call(commands.requestIdentity(args.requestId, args.on)),
    onSuccess: invalidate,
  });
}

export function useEvidence(requestId: string) {
  return useQuery({ queryKey: workKeys.evidence(requestId), queryFn: () => call(commands.listEvidence(requestId)) });
}

export function useAddEvidence() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (args: { requestId: string; file: File; taskId: string | null; identityDocument: boolean }) => {
      const bytes = Array.from(new Uint8Array(await args.file.arrayBuffer()));
      return call(commands.addEvidence(args.requestId, args.file.name, bytes, args.taskId, args.identityDocument));
    },
    onSuccess: invalidate,
  });
}

export function useRemoveEvidence() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { id: string; reason: string }) => call(commands.removeEvidence(args.id, args.reason)),
    onSuccess: invalidate,
  });
}

export function usePossibleDuplicates(requestId: string) {
  return useQuery({
    queryKey: ["work", "duplicates", requestId] as const,
    queryFn: () => call(commands.possibleDuplicates(requestId)),
  });
}

export function useLinkRequests() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { requestId: string; otherId: string }) => call(commands.linkRequests(args.requestId, args.otherId)),
    onSuccess: invalidate,
  });
}

export function useMarkDuplicate() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (args: { requestId: string; ofId: string }) => call(commands.markDuplicate(args.requestId, args.ofId)),
    onSuccess: invalidate,
  });
}
