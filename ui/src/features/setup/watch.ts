// Windows on a team register refresh by themselves: the backend listens for the register's
// changes (LISTEN/NOTIFY, src-tauri/src/team_watch.rs) and tells the window through this
// channel; what the window shows of requests is read again. No polling.
import { Channel } from "@tauri-apps/api/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { commands } from "../../ipc/bindings";
import { call } from "../../ipc/call";
import type { RegisterChanged } from "../../ipc/bindings";
import { appInfoKey, requestKeys, requestWorkKey, workspaceKeys } from "../requests/queries";
import { mailKeys } from "../letters/queries";
import { mailboxKeys } from "../mailbox/queries";
import { conversationKeys } from "../conversation/queries";
import { datamapKeys } from "../datamap/queries";
import { optionsKey } from "../deadlines/queries";

export function useRegisterWatch(team: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!team) return;
    let live = true;
    const channel = new Channel<RegisterChanged>();
    channel.onmessage = () => {
      if (!live) return;
      // The list's pages and an open request's page (both under "requests"), and the count.
      void client.invalidateQueries({ queryKey: requestKeys.all });
      // What the request page shows beside it: its tasks and evidence files.
      void client.invalidateQueries({ queryKey: requestWorkKey });
      // The letters an open request page lists (another officer's letter queued or sent).
      void client.invalidateQueries({ queryKey: [...mailKeys.all, "outbox"] });
      void client.invalidateQueries({ queryKey: workspaceKeys.savedFilters });
      // The Inbox (another window fetched the mailbox or decided a mail) and a request's mails.
      void client.invalidateQueries({ queryKey: [...mailboxKeys.all, "intake"] });
      void client.invalidateQueries({ queryKey: [...mailboxKeys.all, "item"] });
      void client.invalidateQueries({ queryKey: conversationKeys.all });
      void client.invalidateQueries({ queryKey: appInfoKey });
      // The team's data map and deadline settings (an admin changed them), and the reminders they move.
      void client.invalidateQueries({ queryKey: datamapKeys.all });
      void client.invalidateQueries({ queryKey: optionsKey });
      void client.invalidateQueries({ queryKey: mailKeys.reminders });
    };
    // Without the channel the window still works; it shows others' changes when it next reads.
    call(commands.watchRegister(channel)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [team, client]);
}
