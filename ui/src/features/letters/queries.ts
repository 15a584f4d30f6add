// The only module of the letters feature (letters, outbox, reminders, mail settings, templates) that talks to the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseSavePath } from "../../ipc/files";
import type { Lang, LetterInput, MailSettingsInput, TemplateName } from "../../ipc/types";
import { requestKeys } from "../requests/queries";

export const mailKeys = {
  all: ["mail"] as const,
  settings: ["mail", "settings"] as const,
  kinds: ["mail", "kinds"] as const,
  outbox: (requestId: string | null) => ["mail", "outbox", requestId ?? "all"] as const,
  reminders: ["mail", "reminders"] as const,
  template: (name: TemplateName, lang: Lang) => ["mail", "template", name, lang] as const,
};

export function useMailSettings() {
  return useQuery({ queryKey: mailKeys.settings, queryFn: () => call(commands.getMailSettings()) });
}

export function useSaveMailSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { settings: MailSettingsInput; password: string | null }) =>
      call(commands.saveMailSettings(args.settings, args.password)),
    onSuccess: (data) => client.setQueryData(mailKeys.settings, data),
  });
}

export function useSendTestMessage() {
  return useMutation({ mutationFn: (to: string) => call(commands.sendTestMessage(to)) });
}

export function useLetterKinds() {
  return useQuery({ queryKey: mailKeys.kinds, queryFn: () => call(commands.letterKinds()), staleTime: Infinity });
}

export function usePreviewLetter() {
  return useMutation({
    mutationFn: (args: { requestId: string; input: LetterInput }) => call(commands.previewLetter(args.requestId, args.input)),
  });
}

export function useSendLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { requestId: string; input: LetterInput; attachPackage?: boolean }) =>
      call(commands.sendLetter(args.requestId, args.input, args.attachPackage ?? false)),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: mailKeys.all });
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}

/** The request's built package the response letter can attach; under `requestKeys.all`, so a new build refreshes it. */
export function useBuiltPackage(requestId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...requestKeys.all, "built-package", requestId] as const,
    queryFn: () => call(commands.builtPackage(requestId)),
    enabled,
  });
}

export function useOutbox(requestId: string | null) {
  return useQuery({
    queryKey: mailKeys.outbox(requestId),
    queryFn: () => call(commands.listOutbox(requestId)),
    refetchInterval: 15_000,
  });
}

function useOutboxMutation<T, R>(fn: (arg: T) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: mailKeys.all });
      void client.invalidateQueries({ queryKey: requestKeys.all });
    },
  });
}

export function useSendOutbox() {
  return useOutboxMutation(() => call(commands.sendOutbox()));
}

export function useConfirmLetter() {
  return useOutboxMutation((args: { id: string; note: string }) => call(commands.confirmLetterSent(args.id, args.note)));
}

export function useResendLetter() {
  return useOutboxMutation((id: string) => call(commands.resendLetter(id)));
}

export function useLetterSource() {
  return useMutation({ mutationFn: (id: string) => call(commands.letterSource(id)) });
}

export function useReminders() {
  return useQuery({ queryKey: mailKeys.reminders, queryFn: () => call(commands.listReminders()) });
}

/** Asks where to save (the OS dialog), then writes the deadlines calendar; null when cancelled. */
export function useSaveCalendar() {
  return useMutation({
    mutationFn: async (title: string) => {
      const out = await chooseSavePath("calendar", "rightsdesk-deadlines.ics", title);
      return out === null ? null : { path: out, events: await call(commands.saveCalendar(out)) };
    },
  });
}

export function useLetterTemplate(name: TemplateName, lang: Lang) {
  return useQuery({ queryKey: mailKeys.template(name, lang), queryFn: () => call(commands.getLetterTemplate(name, lang)) });
}

export function useSaveLetterTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { name: TemplateName; lang: Lang; source: string }) =>
      call(commands.saveLetterTemplate(args.name, args.lang, args.source)),
    onSuccess: (data) => client.setQueryData(mailKeys.template(data.name, data.lang), data),
  });
}
