import type { DataFormat, System, SystemInput } from "../../ipc/types";

/** The editable fields of a system, in the order the form and the table show them. */
export const SYSTEM_FIELDS: { key: keyof SystemInput; label: string; wide?: boolean }[] = [
  { key: "name", label: "Name" },
  { key: "vendor", label: "Vendor" },
  { key: "role", label: "Role" },
  { key: "location", label: "Location" },
  { key: "purposes", label: "Purposes", wide: true },
  { key: "data_categories", label: "Data categories", wide: true },
  { key: "data_subjects", label: "Data subjects" },
  { key: "transfer_safeguard", label: "Transfer safeguard" },
  { key: "retention", label: "Retention" },
  { key: "legal_basis", label: "Legal basis" },
  { key: "source", label: "Source (when not the subject)" },
  { key: "legal_duty", label: "Legal duty (kept through erasure)" },
  { key: "owner_contact", label: "Owner contact" },
  { key: "how_to_search", label: "How to search", wide: true },
  { key: "how_to_export", label: "How to export", wide: true },
  { key: "how_to_delete", label: "How to delete", wide: true },
];

export const ROLES: { value: string; label: string }[] = [
  { value: "own", label: "Own system" },
  { value: "processor", label: "Processor" },
  { value: "sub-processor", label: "Sub-processor" },
];

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
