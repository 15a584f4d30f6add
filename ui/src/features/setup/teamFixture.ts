// For the screens' unit tests: the team register a window is connected to, as `app_info` reports it.
import type { TeamInfo } from "./team";

/** A team register on `db` where `login` works in `role` (a read replica when `replica`). */
export function teamLogin(login: string, role: string, replica = false): TeamInfo {
  return { address: "postgresql://x@db/rightsdesk", login, host: "db", dbname: "rightsdesk", replica, role };
}
