// The only module of this feature that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { NewRequest, RequestFilter, Status } from "../../ipc/types";
import { call } from "../../ipc/call";

export const requestKeys = {
  all: ["requests"] as const,
  list: (filter: RequestFilter) => ["requests", "list", filter] as const,
  detail: (id: string) => ["requests", "detail", id] as const,
};

export const appInfoKey = ["app-info"] as const;

export function useAppInfo() {
  return useQuery({ queryKey: appInfoKey, queryFn: () => call(commands.appInfo()) });
}

export function useRequests(filter: RequestFilter) {
  return useQuery({
    queryKey: requestKeys.list(filter),
    queryFn: () => call(commands.listRequests(filter)),
    placeholderData: (previous) => previous,
  });
}

export function useRequestDetail(id: string) {
  return useQuery({ queryKey: requestKeys.detail(id), queryFn: () => call(commands.getRequest(id)) });
}

export function useRegisterRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewRequest) => call(commands.registerRequest(input)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}

export function useChangeStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: string; to: Status; reason: string | null }) =>
      call(commands.changeStatus(args.id, args.to, args.reason)),
    onSuccess: () => void client.invalidateQueries({ queryKey: requestKeys.all }),
  });
}

export function useLoadDemo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(commands.loadDemo()),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}
