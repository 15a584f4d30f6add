// The only module of the tasks feature that talks to the backend: the tasks of one request.
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { TaskUpdate } from "../../ipc/types";
import { call } from "../../ipc/call";
import { requestWorkKey, useRequestWorkChanged } from "../requests/queries";

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
  return useMutation({
    mutationFn: (args: { taskId: string; change: TaskUpdate }) => call(commands.updateTask(args.taskId, args.change)),
    onSuccess: invalidate,
  });
}
