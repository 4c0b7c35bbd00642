import type { AskFeedItem, FeedStatusUpdate, RecentStatusUpdate } from "~/models/feed.server";
import { renderMarkdown } from "~/services/markdown.server";
import { askPath } from "~/slug";
import { isWebUrl } from "~/validation/status-update-rules";

// Atom 1.0 (RFC 4287) documents, written by hand: the format is small, and every
// value passes through xmlText, so nothing a partner typed can break the document.

export type AtomEntry = {
  // A permanent id: a tag: URI (see tagUri) or an absolute URL.
  id: string;
  title: string;
  updated: string | Date;
  published?: string | Date;
  authorName: string;
  // Absolute URL of the page the entry is about.
  link: string;
  // Already sanitized HTML; it is carried as escaped text in <content type="html">.
  contentHtml: string;
};

export type AtomFeed = {
  id: string;
  title: string;
  subtitle?: string;
  updated: string | Date;
  // Absolute URLs: of this document, and of the page it follows.
  selfUrl: string;
  alternateUrl: string;
  // The feed's own author, for readers that show one; each entry names its own too.
  authorName?: string;
  entries: AtomEntry[];
};

export const atomContentType = "application/atom+xml; charset=utf-8";

// Everything outside XML 1.0's Char production: C0 controls other than tab, LF
// and CR, lone surrogates, U+FFFE and U+FFFF. A reader refuses the whole feed
// over one of them, so they are dropped rather than escaped (they cannot be).
// Lone surrogates are \p{Cs} under the u flag; a valid pair reads as one code point.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the control characters XML forbids is the point
const illegalXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\p{Cs}]/gu;

// Text for an element or a double-quoted attribute.
export function xmlText(value: string): string {
  return value
    .replace(illegalXmlChars, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

// RFC 4151 tag URI: stays the same when a title, a slug or a path changes.
// The date is part of the id, so it is fixed for good: changing it would make
// every reader see every entry as new.
export function tagUri(origin: string, specific: string): string {
  return `tag:${new URL(origin).hostname},2026:${specific}`;
}

// RFC 3339 as Atom wants it; an invalid date throws instead of writing a feed readers reject.
function timestamp(value: string | Date): string {
  return (typeof value === "string" ? new Date(value) : value).toISOString();
}

function element(name: string, value: string): string {
  return `<${name}>${xmlText(value)}</${name}>`;
}

function link(rel: string, href: string, type: string): string {
  return `<link rel="${rel}" type="${type}" href="${xmlText(href)}"/>`;
}

function entry(e: AtomEntry): string {
  return [
    "<entry>",
    element("id", e.id),
    element("title", e.title),
    element("updated", timestamp(e.updated)),
    e.published ? element("published", timestamp(e.published)) : "",
    link("alternate", e.link, "text/html"),
    `<author>${element("name", e.authorName)}</author>`,
    `<content type="html">${xmlText(e.contentHtml)}</content>`,
    "</entry>",
  ]
    .filter(Boolean)
    .join("\n");
}

export function atomFeed(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element("id", feed.id),
    element("title", feed.title),
    feed.subtitle ? element("subtitle", feed.subtitle) : "",
    element("updated", timestamp(feed.updated)),
    link("self", feed.selfUrl, "application/atom+xml"),
    link("alternate", feed.alternateUrl, "text/html"),
    `<author>${element("name", feed.authorName ?? "Asklog")}</author>`,
    ...feed.entries.map(entry),
    "</feed>\n",
  ]
    .filter(Boolean)
    .join("\n");
}

export const updatesFeedPath = "/feeds/updates.atom";

export function askFeedPath(ask: { id: number; slug: string }): string {
  return `${askPath(ask)}/feed.atom`;
}

type FeedAsk = { id: number; slug: string; title: string };

// The site-wide feed of status updates.
export function updatesFeed(origin: string, updates: RecentStatusUpdate[]): string {
  const entries = updates.map((u) => statusUpdateEntry(origin, u.ask, u));
  return atomFeed({
    id: tagUri(origin, "feeds/updates"),
    title: "Asklog status updates",
    subtitle: "Dated status updates and resolution links on partner asks, newest first.",
    updated: latest(entries) ?? new Date(),
    selfUrl: `${origin}${updatesFeedPath}`,
    alternateUrl: `${origin}/`,
    entries,
  });
}

// One ask's history: its status updates and the comments everyone can read, newest first.
export function askFeed(origin: string, ask: FeedAsk & { createdAt: string }, items: AskFeedItem[]): string {
  const entries = items.map((item) =>
    item.kind === "update"
      ? statusUpdateEntry(origin, ask, item)
      : {
          id: tagUri(origin, `comment/${item.id}`),
          title: item.isOfficial ? `Official response on ${ask.title}` : `Comment by ${item.author} on ${ask.title}`,
          updated: item.editedAt ?? item.createdAt,
          published: item.createdAt,
          authorName:
            item.organization || item.team ? `${item.author} (${item.organization ?? item.team})` : item.author,
          link: `${origin}${askPath(ask)}#comment-${item.id}`,
          contentHtml: renderMarkdown(item.body),
        },
  );
  return atomFeed({
    id: tagUri(origin, `asks/${ask.id}`),
    title: `${ask.title} · Asklog`,
    subtitle: "Status updates and comments on this ask, newest first.",
    updated: latest(entries) ?? ask.createdAt,
    selfUrl: `${origin}${askFeedPath(ask)}`,
    alternateUrl: `${origin}${askPath(ask)}`,
    entries,
  });
}

// "Planned: <ask>" when the update moved the ask, "Note on <ask>" when it did not.
// The date it is about leads the text: for imported history it is long before
// the date the entry was recorded (which is what readers sort by).
function statusUpdateEntry(origin: string, ask: FeedAsk, u: FeedStatusUpdate): AtomEntry {
  const by = u.team ?? u.author;
  const links = u.links.filter((l) => isWebUrl(l.url));
  // xmlText escapes for HTML as well; the feed writer then escapes the whole once more as XML.
  const contentHtml = [
    `<p>${xmlText(`${u.aboutDate} · ${by} · ${u.status}`)}</p>`,
    renderMarkdown(u.note).trim(),
    links.length
      ? `<p>Resolution ${links.length === 1 ? "link" : "links"}:</p><ul>${links
          .map((l) => `<li><a href="${xmlText(l.url)}">${xmlText(l.title)}</a></li>`)
          .join("")}</ul>`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
  return {
    id: tagUri(origin, `status-update/${u.id}`),
    title: u.statusChanged ? `${u.status}: ${ask.title}` : `Note on ${ask.title}`,
    updated: u.editedAt ?? u.recordedAt,
    published: u.recordedAt,
    authorName: by,
    link: `${origin}${askPath(ask)}#status-update-${u.id}`,
    contentHtml,
  };
}

function latest(entries: AtomEntry[]): string | undefined {
  return entries.map((e) => new Date(e.updated).toISOString()).sort((a, b) => b.localeCompare(a))[0];
}
