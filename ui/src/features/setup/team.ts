import type { AppInfo } from "../../ipc/types";

/** The team register the window is connected to, with the login and its role. */
export type TeamInfo = NonNullable<AppInfo["team"]>;

/** Whether the login may change what a team register keeps for its admin (settings, templates, retention
 * periods, the purge): always on the local file; on a team register only its admin (the server refuses the others). */
export function teamAdmin(team: TeamInfo | null | undefined): boolean {
  return !team || team.role === "admin";
}
