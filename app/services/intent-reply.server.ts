import { data } from "@remix-run/node";
import type { FieldErrors, IntentReply } from "~/validation/form";

// An admin page holds several forms; a refused one comes back with its intent (so the
// page shows the messages next to the right form), a message per field and what was typed.
export function refuseIntent(intent: string, errors: FieldErrors, values: Record<string, string> = {}, status = 400) {
  return data<IntentReply>({ intent, errors, values }, { status });
}
