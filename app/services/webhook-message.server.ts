import type { DisabledNotice } from "~/models/webhook.server";
import { publicOrigin } from "~/settings.server";
import { escapeHtml } from "./markdown.server";

// The mail every admin gets when the worker switches a failing endpoint off.
export const endpointDisabledMail: DisabledNotice = ({ id, url, reason }) => {
  const page = `${publicOrigin()}/admin/webhooks/${id}`;
  const lines = [
    `Asklog stopped sending events to the webhook endpoint ${url}.`,
    reason,
    "Deliveries still waiting go out once an admin enables it again; events that happen while it is off are not sent. The delivery log shows what the receiver answered.",
  ];
  return {
    subject: `Webhook endpoint disabled: ${url}`,
    text: [...lines, `The endpoint: ${page}`].join("\n\n"),
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Webhook endpoint disabled</title></head><body>${lines
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join("")}<p><a href="${escapeHtml(page)}">The endpoint and its delivery log</a></p></body></html>`,
  };
};
