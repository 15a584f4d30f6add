import type { ImportField } from "../../ipc/types";

/** The fields a column can fill, with the words the officer sees. */
export const FIELDS: { value: ImportField; label: string }[] = [
  { value: "type", label: "Request type" },
  { value: "regime", label: "Regime (law)" },
  { value: "jurisdiction", label: "Jurisdiction" },
  { value: "name", label: "Subject's name" },
  { value: "email", label: "Subject's email" },
  { value: "identifier", label: "Other identifier (header is its kind)" },
  { value: "channel", label: "Channel" },
  { value: "received", label: "Date received" },
  { value: "time_zone", label: "Time zone" },
  { value: "notes", label: "Notes" },
];

/** A new mapping with column `index` set to `field` (or ignored); a field other than
 * "identifier" moves to the new column, so no two columns fill the same field. */
export function remap(mapping: (ImportField | null)[], index: number, field: ImportField | null): (ImportField | null)[] {
  return mapping.map((current, i) => {
    if (i === index) return field;
    if (field !== null && field !== "identifier" && current === field) return null;
    return current;
  });
}

/** A file read in the browser, as the bytes the backend decodes (it detects the encoding). */
export async function fileBytes(file: Blob): Promise<number[]> {
  const buffer = await file.arrayBuffer();
  return Array.from(new Uint8Array(buffer));
}
