import type { WebhookEvent } from "~/domain";

// What the webhook endpoint form and webhookEndpointSchema (webhook.ts) share. Plain values, so
// the form can show them without the browser loading zod.
export const webhookUrlMax = 2000;
export const webhookDescriptionMax = 200;

export const webhookEventLabels: Record<WebhookEvent, string> = {
  "ask.created": "An ask is filed",
  "ask.status_changed": "An ask's status changes",
  "status_update.created": "A status update is posted",
  "comment.created": "A comment is posted or marked as the official response",
  "ask.merged": "An ask is merged into another",
  "vote.changed": "Votes change (sent in batches)",
};

// A form sends each ticked event as its own field ("event.ask.created=on").
export const eventField = (event: WebhookEvent) => `event.${event}` as const;
