import type { MailPurpose, OutboxState } from "~/domain";

// How the admin mail pages name a message's state and purpose.
export const mailStateLabels: Record<OutboxState, string> = { pending: "Waiting", sent: "Sent", dead: "Failed" };

export const mailPurposeLabels: Record<MailPurpose, string> = {
  notification: "Notification",
  digest: "Digest",
  "confirm-email": "Address confirmation",
  "reset-password": "Password reset",
};
