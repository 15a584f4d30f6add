// What waits for the first painted screen: work the window does not need to show the register, kept
// off the path from the app's start to the first list (issue 21: under 1 s at 100,000 requests).
import { useIsFetching, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { commands } from "../ipc/bindings";
import { call } from "../ipc/call";
import { appStatusKey } from "./StatusLine";

/** Once per page: set when the first screen has been painted and `then` has run. */
let done = false;

/**
 * Once the first screen of an open register is painted (`ready`, no query fetching any more: the first
 * screen's reads have arrived, and two frames later: it is on screen), tells the backend
 * (`firstPaintDone`), then runs `then`.
 */
export function useAfterFirstPaint(ready: boolean, then: () => void) {
  const client = useQueryClient();
  const fetching = useIsFetching();
  useEffect(() => {
    // The screen's queries start in its own effects, which ran before this one: ask the client, not the render.
    if (done || !ready || fetching > 0 || client.isFetching() > 0) return;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        if (done || client.isFetching() > 0) return;
        done = true;
        tellTheBackend(client);
        then();
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [ready, fetching, client, then]);
}

/**
 * The backend kept work off the start until now: it brings the register's dates up to this version's
 * rules (before the window, that check took 80 ms at 100,000 requests), then starts the daily jobs,
 * the outbox and the mailbox. When dates were recomputed, everything shown is read again; the status
 * line is asked at once, so a refresh that failed shows without waiting for its next poll.
 */
function tellTheBackend(client: QueryClient) {
  call(commands.firstPaintDone()).then(
    (recomputed) => {
      if (recomputed > 0) void client.invalidateQueries();
      else void client.invalidateQueries({ queryKey: appStatusKey });
    },
    // Unreachable in practice (the command cannot fail); the status line's poll shows any failure.
    () => undefined,
  );
}

/** For tests: the next page start. */
export function resetFirstPaint() {
  done = false;
}
