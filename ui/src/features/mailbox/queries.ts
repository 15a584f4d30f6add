// The only module of the mailbox feature (the Inbox, the background fetch, the mailbox settings) that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import type { AcceptOptions, IntakeState, MailboxSettingsInput } from "../../ipc/types";
import { appInfoKey, requestKeys } from "../requests/queries";

export const mailboxKeys = {
  all: ["mailbox"] as const,
  settings: ["mailbox", "settings"] as const,
  status: ["mailbox", "status"] as const,
  signIn: ["mailbox", "sign-in"] as const,
  intake: (state: IntakeState | null) => ["mailbox", "intake", state ?? "all"] as const,
  item: (id: string) => ["mailbox", "item", id] as const,
};

/** How often the window asks how the background fetch is doing (in memory, no database read). */
const STATUS_EVERY_MS = 3_000;

export function useMailboxSettings() {
  return useQuery({ queryKey: mailboxKeys.settings, queryFn: () => call(commands.getMailboxSettings()) });
}

export function useSaveMailboxSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { settings: MailboxSettingsInput; password: string | null; clientSecret: string | null; pollMinutes: number }) =>
      call(commands.saveMailboxSettings(args.settings, args.password, args.clientSecret, args.pollMinutes)),
    onSuccess: (data) => {
      client.setQueryData(mailboxKeys.settings, data);
      void client.invalidateQueries({ queryKey: mailboxKeys.status });
    },
  });
}

export function useTestMailbox() {
  return useMutation({ mutationFn: () => call(commands.testMailbox()) });
}

/** The background fetch's status; when a run ends, the Inbox's list is read again. */
export function useMailboxStatus() {
  return useQuery({ queryKey: mailboxKeys.status, queryFn: () => call(commands.mailboxStatus()), refetchInterval: STATUS_EVERY_MS });
}

export function useFetchNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(commands.fetchMailbox()),
    onSettled: () => void client.invalidateQueries({ queryKey: mailboxKeys.all }),
  });
}

/** The new items; polled with the status so a background fetch's mails appear (and the badge counts them). */
export function useNewIntake() {
  return useQuery({
    queryKey: mailboxKeys.intake("new"),
    queryFn: () => call(commands.listIntake("new")),
    refetchInterval: STATUS_EVERY_MS * 5,
  });
}

export function useIntakeItem(id: string) {
  return useQuery({ queryKey: mailboxKeys.item(id), queryFn: () => call(commands.getIntakeItem(id)) });
}

function useDecision<A, T>(fn: (args: A) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: mailboxKeys.all });
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
    },
  });
}

export function useAcceptIntake() {
  return useDecision((a: { id: string; options: AcceptOptions }) => call(commands.acceptIntake(a.id, a.options)));
}

export function useDismissIntake() {
  return useDecision((a: { id: string; reason: string }) => call(commands.dismissIntake(a.id, a.reason)));
}

export function useLinkIntake() {
  return useDecision((a: { id: string; request: string }) => call(commands.linkIntake(a.id, a.request)));
}

/** How often the window asks whether the OAuth sign-in is done, while it waits (in memory only). */
const SIGN_IN_EVERY_MS = 1_000;

/** The OAuth sign-in started from the window: polled while it waits for the officer. */
export function useSignInStatus() {
  return useQuery({
    queryKey: mailboxKeys.signIn,
    queryFn: () => call(commands.mailboxSignInStatus()),
    refetchInterval: (q) => (q.state.data?.state === "waiting" ? SIGN_IN_EVERY_MS : false),
  });
}

function useSignInChange<T>(fn: () => Promise<T>, after: (client: ReturnType<typeof useQueryClient>, data: T) => void) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (data) => after(client, data) });
}

export function useStartSignIn() {
  return useSignInChange(
    () => call(commands.startMailboxSignIn()),
    (client, status) => client.setQueryData(mailboxKeys.signIn, status),
  );
}

export function useCancelSignIn() {
  return useSignInChange(
    () => call(commands.cancelMailboxSignIn()),
    (client, status) => client.setQueryData(mailboxKeys.signIn, status),
  );
}

export function useSignOut() {
  return useSignInChange(
    () => call(commands.signOutMailbox()),
    (client, view) => {
      client.setQueryData(mailboxKeys.settings, view);
      void client.invalidateQueries({ queryKey: mailboxKeys.signIn });
    },
  );
}
