import type { AppInfo } from "../../ipc/types";

/** The team register the window is connected to, with the login and its role. */
export type TeamInfo = NonNullable<AppInfo["team"]>;

/** Whether the login may change what a team register keeps for its admin (settings, templates, retention
 * periods, the purge): always on the local file; on a team register only its admin (the server refuses the others). */
export function teamAdmin(team: TeamInfo | null | undefined): boolean {
  return !team || team.role === "admin";
}

/** Whether the login works on requests (reads the privacy mailbox, decides its mails, records what a mail
 *  brings): always on the local file; on a team register an officer or the admin, not an auditor, and never
 *  on a read replica (the server refuses their writes regardless). */
export function teamWriter(team: TeamInfo | null | undefined): boolean {
  return !team || (!team.replica && (team.role === "officer" || team.role === "admin"));
}
