import type { NotificationKind } from "~/domain";
import type { DigestItem, Recipient } from "~/models/notification.server";
import type { MailDraft } from "~/models/outbox.server";
import { eventAnchor, eventHeadline, parseEventData } from "~/notification-text";
import { publicOrigin, settings } from "~/settings.server";
import { askPath } from "~/slug";
import { escapeHtml, renderMarkdown } from "./markdown.server";
import { signToken } from "./signed-token.server";

// The mail Asklog sends, as text and HTML. Everything a user typed is escaped in the HTML,
// and the subject is made one line by the outbox.

// What one unsubscribe link stops: mail about one ask, one kind of mail, or all mail.
export type UnsubscribeScope = { askId: number } | { kind: NotificationKind } | { all: true };
export type UnsubscribeClaim = { userId: number; scope: UnsubscribeScope };

export const unsubscribePurpose = "unsubscribe";
const unsubscribeLifetimeMs = 90 * 24 * 60 * 60 * 1000;

export function unsubscribeUrl(claim: UnsubscribeClaim, now = new Date()): string {
  const token = signToken(unsubscribePurpose, claim, new Date(now.getTime() + unsubscribeLifetimeMs));
  return `${publicOrigin()}/unsubscribe/${token}`;
}

// RFC 8058: a one-click POST to the https link, plus a mailto: where one is set up.
function unsubscribeHeaders(claim: UnsubscribeClaim): Record<string, string> {
  const url = unsubscribeUrl(claim);
  const mailto = settings().mail.unsubscribeMailto;
  const targets = [`<${url}>`];
  if (mailto) targets.push(`<mailto:${mailto}?subject=${encodeURIComponent(`unsubscribe ${url}`)}>`);
  return { "List-Unsubscribe": targets.join(", "), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

type AskRef = { id: number; title: string; slug: string };

function askUrl(ask: AskRef, anchor = ""): string {
  return `${publicOrigin()}${askPath(ask)}${anchor}`;
}

function layout(title: string, inner: string, footer: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328; max-width: 40rem">
${inner}
<hr><p style="font-size: 0.875em; color: #59636e">${footer}</p></body></html>`;
}

// The lines that tell what happened, for one event.
function eventDetails(kind: NotificationKind, data: Record<string, unknown>): { text: string; html: string } {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  if (kind === "status_update") {
    const links = Array.isArray(data.links) ? (data.links as { url: string; title: string }[]) : [];
    const line = [str(data.date), str(data.team), str(data.status)].filter(Boolean).join(" · ");
    const linkText = links.map((l) => `- ${l.title}: ${l.url}`).join("\n");
    const linkHtml = links
      .map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.title)}</a> (${escapeHtml(l.url)})</li>`)
      .join("");
    return {
      text: [line, str(data.note), links.length ? `Links:\n${linkText}` : ""].filter(Boolean).join("\n\n"),
      html: `<p><strong>${escapeHtml(line)}</strong></p>${renderMarkdown(str(data.note))}${
        links.length ? `<p>Links:</p><ul>${linkHtml}</ul>` : ""
      }`,
    };
  }
  if (kind === "comment" || kind === "comment_on_own" || kind === "official_response") {
    return { text: str(data.body), html: renderMarkdown(str(data.body)) };
  }
  if (kind === "merge") {
    const target = { id: Number(data.targetId), title: str(data.targetTitle), slug: str(data.targetSlug) };
    return {
      text: `Your vote and your following moved to: ${target.title}\n${askUrl(target)}`,
      html: `<p>Your vote and your following moved to <a href="${escapeHtml(askUrl(target))}">#${target.id} ${escapeHtml(
        target.title,
      )}</a>.</p>`,
    };
  }
  if (kind === "edit") {
    const changes = Array.isArray(data.changes)
      ? (data.changes as { field: string; before: string; after: string }[])
      : [];
    return {
      text: changes.map((c) => `${c.field}: "${c.before}" → "${c.after}"`).join("\n"),
      html: `<ul>${changes
        .map(
          (c) =>
            `<li>${escapeHtml(c.field)}: <del>${escapeHtml(c.before)}</del> → <ins>${escapeHtml(c.after)}</ins></li>`,
        )
        .join("")}</ul>`,
    };
  }
  return { text: "", html: "" };
}

export type EventForMail = { kind: NotificationKind; data: string; actor: string | null; ask: AskRef };

export function eventMail(event: EventForMail, recipient: Recipient): MailDraft {
  const data = parseEventData(event.data);
  const kind = recipient.kind;
  const headline = eventHeadline(kind, data, event.actor);
  const link = askUrl(event.ask, eventAnchor(kind, data));
  const details = eventDetails(kind, data);
  const scope: UnsubscribeScope = kind === "new_ask" ? { kind } : { askId: event.ask.id };
  const claim = { userId: recipient.userId, scope };
  const stopText = kind === "new_ask" ? "Stop mail about new asks" : `Stop mail about #${event.ask.id} (unfollow it)`;
  const settingsUrl = `${publicOrigin()}/account#notifications`;
  return {
    purpose: "notification",
    userId: recipient.userId,
    to: recipient.email,
    subject: `#${event.ask.id} ${event.ask.title}: ${headline}`,
    text: [
      `#${event.ask.id} ${event.ask.title}`,
      headline,
      details.text,
      `View it: ${link}`,
      `--\n${stopText}: ${unsubscribeUrl(claim)}\nAll your mail settings: ${settingsUrl}`,
    ]
      .filter(Boolean)
      .join("\n\n"),
    html: layout(
      event.ask.title,
      `<h1 style="font-size: 1.25em"><a href="${escapeHtml(link)}">#${event.ask.id} ${escapeHtml(event.ask.title)}</a></h1>
<p>${escapeHtml(headline)}</p>${details.html}<p><a href="${escapeHtml(link)}">View it on Asklog</a></p>`,
      `<a href="${escapeHtml(unsubscribeUrl(claim))}">${escapeHtml(stopText)}</a> · <a href="${escapeHtml(
        settingsUrl,
      )}">All your mail settings</a>`,
    ),
    headers: unsubscribeHeaders(claim),
  };
}

// One message for many events, grouped by ask.
export function digestMail({
  recipient,
  delivery,
  items,
}: {
  recipient: { userId: number; email: string };
  delivery: "daily" | "weekly";
  items: DigestItem[];
}): MailDraft {
  const byAsk = new Map<number, DigestItem[]>();
  for (const item of items) byAsk.set(item.ask.id, [...(byAsk.get(item.ask.id) ?? []), item]);
  const claim: UnsubscribeClaim = { userId: recipient.userId, scope: { all: true } };
  const settingsUrl = `${publicOrigin()}/account#notifications`;
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const group of byAsk.values()) {
    const first = group[0];
    if (!first) continue;
    textParts.push(
      [
        `#${first.ask.id} ${first.ask.title}`,
        ...group.map((item) => {
          const data = parseEventData(item.data);
          return `- ${eventHeadline(item.kind, data, item.actor)}: ${askUrl(item.ask, eventAnchor(item.kind, data))}`;
        }),
      ].join("\n"),
    );
    htmlParts.push(
      `<h2 style="font-size: 1.1em"><a href="${escapeHtml(askUrl(first.ask))}">#${first.ask.id} ${escapeHtml(
        first.ask.title,
      )}</a></h2><ul>${group
        .map((item) => {
          const data = parseEventData(item.data);
          return `<li><a href="${escapeHtml(askUrl(item.ask, eventAnchor(item.kind, data)))}">${escapeHtml(
            eventHeadline(item.kind, data, item.actor),
          )}</a></li>`;
        })
        .join("")}</ul>`,
    );
  }
  const asks = byAsk.size;
  const title = `Your ${delivery} Asklog digest: ${items.length} ${items.length === 1 ? "update" : "updates"} on ${asks} ${
    asks === 1 ? "ask" : "asks"
  }`;
  return {
    purpose: "digest",
    userId: recipient.userId,
    to: recipient.email,
    subject: title,
    text: [
      title,
      ...textParts,
      `--\nStop all mail: ${unsubscribeUrl(claim)}\nAll your mail settings: ${settingsUrl}`,
    ].join("\n\n"),
    html: layout(
      title,
      `<h1 style="font-size: 1.25em">${escapeHtml(title)}</h1>${htmlParts.join("")}`,
      `<a href="${escapeHtml(unsubscribeUrl(claim))}">Stop all mail</a> · <a href="${escapeHtml(
        settingsUrl,
      )}">All your mail settings</a>`,
    ),
    headers: unsubscribeHeaders(claim),
  };
}

// A message with one link that is not about an ask (confirm an address, reset a password).
export function linkMail({
  purpose,
  userId,
  to,
  subject,
  lines,
  action,
}: {
  purpose: "confirm-email" | "reset-password";
  userId: number;
  to: string;
  subject: string;
  lines: string[];
  action: { label: string; url: string };
}): MailDraft {
  return {
    purpose,
    userId,
    to,
    subject,
    text: [...lines, `${action.label}: ${action.url}`].join("\n\n"),
    html: layout(
      subject,
      `${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("")}<p><a href="${escapeHtml(action.url)}">${escapeHtml(
        action.label,
      )}</a></p>`,
      "You get this message because someone used this address on Asklog. If it was not you, ignore it.",
    ),
  };
}
