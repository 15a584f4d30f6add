import type { DataFormat, System, SystemInput } from "../../ipc/types";

/** The editable fields of a system, in the order the form shows them (their words: `system.<key>` in the i18n catalogue). */
export const SYSTEM_FIELDS: { key: keyof SystemInput; wide?: boolean }[] = [
  { key: "name" },
  { key: "vendor" },
  { key: "role" },
  { key: "location" },
  { key: "purposes", wide: true },
  { key: "data_categories", wide: true },
  { key: "data_subjects" },
  { key: "transfer_safeguard" },
  { key: "retention" },
  { key: "legal_basis" },
  { key: "source" },
  { key: "automated_decisions", wide: true },
  { key: "legal_duty" },
  { key: "owner_contact" },
  { key: "how_to_search", wide: true },
  { key: "how_to_export", wide: true },
  { key: "how_to_delete", wide: true },
];

/** The roles a system can have (their words: `sysrole.<value>`). */
export const ROLES = ["own", "processor", "sub-processor"] as const;

export function emptyInput(): SystemInput {
  return {
    name: "",
    vendor: "",
    role: "processor",
    purposes: "",
    data_categories: "",
    data_subjects: "",
    location: "",
    transfer_safeguard: "",
    retention: "",
    legal_duty: "",
    owner_contact: "",
    how_to_search: "",
    how_to_export: "",
    how_to_delete: "",
    legal_basis: "",
    source: "",
    automated_decisions: "",
  };
}

export function inputOf(s: System): SystemInput {
  const input = emptyInput();
  for (const f of SYSTEM_FIELDS) input[f.key] = s[f.key] as string;
  return input;
}

/** The file format a file name suggests; CSV unless it ends in .json. */
export function formatOfFileName(name: string): DataFormat {
  return name.toLowerCase().endsWith(".json") ? "json" : "csv";
}
