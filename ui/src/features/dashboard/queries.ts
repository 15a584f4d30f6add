// The only module of the dashboard that talks to the backend.
import { useQuery } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";

// Under "requests" so that every change to a request refreshes the dashboard too.
export const dashboardKey = ["requests", "dashboard"] as const;

export function useDashboard() {
  return useQuery({ queryKey: dashboardKey, queryFn: () => call(commands.dashboard()) });
}

export function useUiPreferences() {
  return useQuery({ queryKey: ["ui-preferences"], queryFn: () => call(commands.uiPreferences()), staleTime: Infinity });
}
