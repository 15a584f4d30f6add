// The only module of the safety feature that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseFolder } from "../../ipc/files";
import { requestKeys } from "../requests/queries";

export const safetyKeys = {
  schedule: ["backup-schedule"] as const,
  retention: ["retention-policies"] as const,
  purge: ["purge-preview"] as const,
};

export function useBackupSchedule() {
  return useQuery({ queryKey: safetyKeys.schedule, queryFn: () => call(commands.backupSchedule()) });
}

export function useSetBackupSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: { dir: string; keep: number; daily: boolean }) => call(commands.setBackupSchedule(s.dir, s.keep, s.daily)),
    onSuccess: (data) => client.setQueryData(safetyKeys.schedule, data),
  });
}

/** The OS folder dialog for the backups; resolves to the picked folder, or null when cancelled. */
export function useChooseBackupFolder() {
  return useMutation({ mutationFn: (title: string) => chooseFolder("backups", title) });
}

export function useBackupNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(commands.backupNow()),
    onSuccess: () => void client.invalidateQueries({ queryKey: safetyKeys.schedule }),
  });
}

export function useRetentionPolicies() {
  return useQuery({ queryKey: safetyKeys.retention, queryFn: () => call(commands.retentionPolicies()) });
}

export function useSetRetention() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (p: { regime: string; months: number }) => call(commands.setRetention(p.regime, p.months)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: safetyKeys.retention });
      void client.invalidateQueries({ queryKey: safetyKeys.purge });
    },
  });
}

export function usePurgePreview() {
  return useQuery({ queryKey: safetyKeys.purge, queryFn: () => call(commands.purgePreview()) });
}

export function useRunPurge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (expected: number) => call(commands.runPurge(expected)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: safetyKeys.purge });
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}
