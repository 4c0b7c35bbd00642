import type { NotificationKind } from "~/domain";

// What the account forms and their schemas (account.ts) share. Plain values, so the forms can
// show them without the browser loading zod.
export const passwordMin = 10;

// Each kind of notification is one radio group, named after its kind.
export function deliveryField(kind: NotificationKind) {
  return `delivery-${kind}` as const;
}
