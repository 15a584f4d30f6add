// Words for the mail feature's closed values. Display only: nothing here
// computes what the core owns.
import type { LetterState, PasswordStatus, TemplateName } from "../../ipc/types";

export function letterStateText(state: LetterState): string {
  switch (state) {
    case "queued":
      return "Queued";
    case "sending":
      return "Sending";
    case "sent":
      return "Sent";
    case "failed":
      return "Failed";
    case "unknown":
      return "Unknown — check before resending";
  }
}

export function templateText(name: TemplateName | string): string {
  const words = name.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function passwordStatusText(status: PasswordStatus | null): string {
  switch (status) {
    case null:
    case "not-needed":
      return "No login needed.";
    case "environment":
      return "Taken from RIGHTSDESK_SMTP_PASSWORD.";
    case "keyring":
      return "Stored in the OS keyring.";
    case "session-only":
      return "Kept in memory for this session only: no OS keyring is available.";
    case "missing":
      return "No password stored yet: enter it below.";
    case "keyring-unavailable":
      return "No OS keyring is available here: enter the password for this session (it will not be stored).";
  }
}

export function daysText(daysLeft: number): string {
  if (daysLeft < 0) return `${-daysLeft} day${daysLeft === -1 ? "" : "s"} overdue`;
  if (daysLeft === 0) return "due today";
  return `${daysLeft} day${daysLeft === 1 ? "" : "s"} left`;
}
