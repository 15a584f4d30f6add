// The only module of the deadlines feature that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import type { ClockEvent, EngineOptions, WhatIf } from "../../ipc/types";
import { requestKeys } from "../requests/queries";

export const optionsKey = ["deadline-options"] as const;

export function useRecordClockEvent() {
  const client = useQueryClient();
  return useMutation({
    // `version`: the request as the page loaded it; a stale page is refused (`conflict`).
    mutationFn: (args: { id: string; event: ClockEvent; version: number | null }) =>
      call(commands.recordClockEvent(args.id, args.event, args.version)),
    onSuccess: (detail, args) => {
      // The new copy (and its version) at once, so a next change is not taken for a stale one.
      client.setQueryData(requestKeys.detail(args.id), detail);
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}

export function useWhatIf() {
  return useMutation({ mutationFn: (input: WhatIf) => call(commands.whatIf(input)) });
}

export function useDeadlineOptions() {
  return useQuery({ queryKey: optionsKey, queryFn: () => call(commands.deadlineOptions()) });
}

export function useSetDeadlineOptions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (options: EngineOptions) => call(commands.setDeadlineOptions(options)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: optionsKey });
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}
