// The only module of the conversation feature that talks to the backend: a request's mails
// out and in, and the one click that records a received mail as identity or clarification received.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../ipc/bindings";
import type { ReceivedAs } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import { chooseSavePath } from "../../ipc/files";
import { requestKeys } from "../requests/queries";

export const conversationKeys = {
  all: ["conversation"] as const,
  of: (requestId: string) => ["conversation", requestId] as const,
};

export function useConversation(requestId: string) {
  return useQuery({ queryKey: conversationKeys.of(requestId), queryFn: () => call(commands.requestConversation(requestId)) });
}

/** Records the mail as what it brought; the request's dates and timeline are read again. */
export function useRecordReceived(requestId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { mailId: string; what: ReceivedAs }) => call(commands.recordMailReceived(args.mailId, args.what)),
    onSuccess: (detail) => {
      client.setQueryData(requestKeys.detail(requestId), detail);
      void client.invalidateQueries({ queryKey: requestKeys.all });
      void client.invalidateQueries({ queryKey: conversationKeys.of(requestId) });
    },
  });
}

/** Asks where to save (the OS dialog), then writes the attachment as it came; null when the officer cancelled. */
export function useSaveAttachment() {
  return useMutation({
    mutationFn: async (args: { mailId: string; index: number; name: string; title: string }) => {
      const out = await chooseSavePath("attachment", args.name, args.title);
      return out === null ? null : call(commands.saveMailAttachment(args.mailId, args.index, out));
    },
  });
}
