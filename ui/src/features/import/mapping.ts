import type { ImportField } from "../../ipc/types";

/** The fields a column can fill, in the order offered (their words: `importField.<value>` in the i18n catalogue). */
export const FIELDS: { value: ImportField }[] = [
  { value: "type" },
  { value: "regime" },
  { value: "jurisdiction" },
  { value: "name" },
  { value: "email" },
  { value: "identifier" },
  { value: "channel" },
  { value: "received" },
  { value: "time_zone" },
  { value: "notes" },
  { value: "appeal_of" },
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
