// The only module of the tasks feature that talks to the backend: the tasks of one request.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { OwnerSettings, TaskUpdate } from "../../ipc/types";
import { call } from "../../ipc/call";
import { afterOwnChange, requestWorkKey, useRequestWorkChanged } from "../requests/queries";

export const taskKeys = {
  tasks: (requestId: string) => [...requestWorkKey, "tasks", requestId] as const,
};

export function useTasks(requestId: string) {
  return useQuery({ queryKey: taskKeys.tasks(requestId), queryFn: () => call(commands.listTasks(requestId)) });
}

export function useGenerateTasks() {
  const invalidate = useRequestWorkChanged();
  return useMutation({ mutationFn: (requestId: string) => call(commands.generateTasks(requestId)), onSuccess: invalidate });
}

export function useUpdateTask() {
  const invalidate = useRequestWorkChanged();
  const client = useQueryClient();
  return useMutation({
    // `version`: the request as the page loaded it; a stale page is refused (`conflict`).
    mutationFn: async (args: { taskId: string; change: TaskUpdate; version: number | null }) => {
      const task = await call(commands.updateTask(args.taskId, args.change, args.version));
      await afterOwnChange(client, task.request_id);
      return task;
    },
    onSuccess: invalidate,
  });
}

/**
 * Assigns a task to a member of the team (blank: nobody). `version` is the request's version the
 * page loaded: if someone changed the request since, it is refused (`conflict`) and nothing is saved.
 */
export function useAssignTask() {
  const invalidate = useRequestWorkChanged();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (args: { taskId: string; assignee: string; version: number | null }) => {
      const task = await call(commands.assignTask(args.taskId, args.assignee.trim() === "" ? null : args.assignee, args.version));
      await afterOwnChange(client, task.request_id);
      return task;
    },
    onSuccess: invalidate,
  });
}

/** Who a task can be assigned to: a team register's officers and admins; none on the local file. */
export function useAssignablePeople() {
  return useQuery({ queryKey: ["assignable-people"] as const, queryFn: () => call(commands.assignablePeople()) });
}

/** Each task's owner, the mails sent and the replies filed (refreshed with the request's work). */
export function useTaskOwners(requestId: string, enabled = true) {
  // Read afresh each time the request opens: the mailbox's background fetch may have filed a reply since.
  return useQuery({
    queryKey: [...requestWorkKey, "owners", requestId] as const,
    queryFn: () => call(commands.taskOwners(requestId)),
    staleTime: 0,
    enabled,
  });
}

/** Send to owner: the instructions, the identifiers and the due date, through the outbox. */
export function useSendToOwner() {
  const invalidate = useRequestWorkChanged();
  return useMutation({ mutationFn: (taskId: string) => call(commands.sendToOwner(taskId)), onSuccess: invalidate });
}

/** The officer closes a task as its owner's reply offers. */
export function useCloseFromReply() {
  const invalidate = useRequestWorkChanged();
  return useMutation({ mutationFn: (replyId: string) => call(commands.closeTaskFromReply(replyId)), onSuccess: invalidate });
}

const ownerSettingsKey = ["owner-settings"] as const;

/** How owners are asked: the due date's lead before the internal target, and the reminder interval. */
export function useOwnerSettings() {
  return useQuery({ queryKey: ownerSettingsKey, queryFn: () => call(commands.ownerSettings()) });
}

/** Saves them (the core checks them, naming the field). */
export function useSetOwnerSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: OwnerSettings) => call(commands.setOwnerSettings(settings)),
    onSuccess: (saved) => client.setQueryData(ownerSettingsKey, saved),
  });
}
