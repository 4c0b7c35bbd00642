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
