// The only module of the retention feature (retention periods and the purge) that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { requestKeys } from "../requests/queries";

export const retentionKeys = {
  retention: ["retention-policies"] as const,
  purge: ["purge-preview"] as const,
};

export function useRetentionPolicies() {
  return useQuery({ queryKey: retentionKeys.retention, queryFn: () => call(commands.retentionPolicies()) });
}

export function useSetRetention() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (p: { regime: string; months: number }) => call(commands.setRetention(p.regime, p.months)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: retentionKeys.retention });
      void client.invalidateQueries({ queryKey: retentionKeys.purge });
    },
  });
}

export function usePurgePreview() {
  return useQuery({ queryKey: retentionKeys.purge, queryFn: () => call(commands.purgePreview()) });
}

export function useRunPurge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (expected: number) => call(commands.runPurge(expected)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: retentionKeys.purge });
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}

const dismissedKey = ["intake-dismissed-days"] as const;

/** Days after the dismissal that a mail dismissed as not a request keeps its content. */
export function useDismissedDays() {
  return useQuery({ queryKey: dismissedKey, queryFn: () => call(commands.intakeDismissedDays()) });
}

export function useSetDismissedDays() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (days: number) => call(commands.setIntakeDismissedDays(days)),
    onSuccess: (days) => {
      client.setQueryData(dismissedKey, days);
      void client.invalidateQueries({ queryKey: retentionKeys.purge });
    },
  });
}
