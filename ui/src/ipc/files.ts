// Locations on disk come only from the OS file dialog, which the backend opens
// (the window holds no dialog permission and never types a path). Each function
// resolves to the path the officer picked, or null when they cancelled; the
// backend accepts that path, for that purpose, from no one else.
import { commands, type FolderPurpose, type OpenPurpose, type SavePurpose } from "./bindings";
import { call } from "./call";

/** The save dialog (it asks before replacing a file); the picked file may be written once. */
export function chooseSavePath(purpose: SavePurpose, suggestedName: string, title: string): Promise<string | null> {
  return call(commands.chooseSavePath(purpose, suggestedName, title));
}

/** The open dialog; the picked file may be read for `purpose` during this session. */
export function chooseOpenPath(purpose: OpenPurpose, title: string): Promise<string | null> {
  return call(commands.chooseOpenPath(purpose, title));
}

/** The folder dialog. */
export function chooseFolder(purpose: FolderPurpose, title: string): Promise<string | null> {
  return call(commands.chooseFolder(purpose, title));
}
