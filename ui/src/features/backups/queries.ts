// The only module of the backups feature that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseFolder } from "../../ipc/files";

export const backupKeys = {
  schedule: ["backup-schedule"] as const,
};

export function useBackupSchedule() {
  return useQuery({ queryKey: backupKeys.schedule, queryFn: () => call(commands.backupSchedule()) });
}

export function useSetBackupSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: { dir: string; keep: number; daily: boolean }) => call(commands.setBackupSchedule(s.dir, s.keep, s.daily)),
    onSuccess: (data) => client.setQueryData(backupKeys.schedule, data),
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
    onSuccess: () => void client.invalidateQueries({ queryKey: backupKeys.schedule }),
  });
}
