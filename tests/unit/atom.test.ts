import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { type AtomEntry, type AtomFeed, atomFeed, tagUri } from "~/services/atom.server";

// jsdom's DOMParser reads "application/xml" with saxes, a conforming XML 1.0
// parser: a document that is not well-formed, or holds a character XML
// forbids, comes back as a <parsererror>, as a feed reader would refuse it.
const { JSDOM } = createRequire(import.meta.url)("jsdom") as {
  JSDOM: new () => { window: { DOMParser: typeof DOMParser } };
};
const parser = new new JSDOM().window.DOMParser();
const atomNs = "http://www.w3.org/2005/Atom";

function parseXml(xml: string): Document {
  const doc = parser.parseFromString(xml, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error) throw new Error(`not well-formed: ${error.textContent}`);
  return doc;
}

function children(parent: Element, name: string): Element[] {
  return Array.from(parent.children).filter((c) => c.namespaceURI === atomNs && c.localName === name);
}

function only(parent: Element, name: string): Element {
  const found = children(parent, name);
  const [first, ...more] = found;
  if (!first || more.length) throw new Error(`${found.length} <${name}> in <${parent.localName}>, not one`);
  return first;
}

function text(parent: Element, name: string): string | null {
  return children(parent, name)[0]?.textContent ?? null;
}

function links(parent: Element): Record<string, { href: string | null; type: string | null }> {
  return Object.fromEntries(
    children(parent, "link").map((l) => [
      l.getAttribute("rel") ?? "alternate",
      { href: l.getAttribute("href"), type: l.getAttribute("type") },
    ]),
  );
}

// What a feed reader takes from the document.
function readAtom(xml: string) {
  const feed = parseXml(xml).documentElement;
  expect(feed.namespaceURI).toBe(atomNs);
  expect(feed.localName).toBe("feed");
  return {
    id: text(feed, "id"),
    title: text(feed, "title"),
    subtitle: text(feed, "subtitle"),
    updated: text(feed, "updated"),
    links: links(feed),
    author: text(only(feed, "author"), "name"),
    entries: children(feed, "entry").map((e) => ({
      element: e,
      id: text(e, "id"),
      title: text(e, "title"),
      updated: text(e, "updated"),
      published: text(e, "published"),
      link: links(e).alternate?.href ?? null,
      author: text(only(e, "author"), "name"),
      contentType: only(e, "content").getAttribute("type"),
      content: text(e, "content"),
    })),
  };
}

const origin = "https://asklog.example";

function entry(overrides: Partial<AtomEntry> = {}): AtomEntry {
  return {
    id: tagUri(origin, "status-update/3"),
    title: "Completed: A customer-facing page that explains CPOR and POE",
    updated: "2021-07-23T15:00:00.000Z",
    published: "2021-07-23T15:00:00.000Z",
    authorName: "Program team",
    link: `${origin}/asks/12-a-customer-facing-page-that-explains-cpor-and-poe#status-update-3`,
    contentHtml:
      '<p>2021-07-23 · Program team · Completed</p>\n<p>A standalone customer-facing page now describes CPOR.</p>\n<ul><li><a href="https://aka.ms/about-cpor">About CPOR</a></li></ul>',
    ...overrides,
  };
}

function feed(overrides: Partial<AtomFeed> = {}): AtomFeed {
  return {
    id: tagUri(origin, "feeds/updates"),
    title: "Asklog status updates",
    subtitle: "Dated status updates on partner asks.",
    updated: "2021-07-23T15:00:00.000Z",
    selfUrl: `${origin}/feeds/updates.atom`,
    alternateUrl: `${origin}/`,
    entries: [entry()],
    ...overrides,
  };
}

describe("atomFeed", () => {
  it("writes an Atom 1.0 document with the feed's id, title, dates, links and author", () => {
    const xml = atomFeed(feed());
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(
      true,
    );
    expect(readAtom(xml)).toMatchObject({
      id: "tag:asklog.example,2026:feeds/updates",
      title: "Asklog status updates",
      subtitle: "Dated status updates on partner asks.",
      updated: "2021-07-23T15:00:00.000Z",
      links: {
        self: { href: "https://asklog.example/feeds/updates.atom", type: "application/atom+xml" },
        alternate: { href: "https://asklog.example/", type: "text/html" },
      },
      author: "Asklog",
    });
  });

  it("writes each entry with its id, title, dates, link, author and HTML content, in the given order", () => {
    const second = entry({
      id: `${origin}/asks/12#comment-7`,
      title: "Comment by Pat on the CPOR page",
      updated: new Date("2021-05-20T11:15:00Z"),
      published: undefined,
      authorName: "Pat (Dell)",
      link: `${origin}/asks/12-a-customer-facing-page#comment-7`,
      contentHtml: "<p>We asked for this <strong>months</strong> ago.</p>",
    });
    const { entries } = readAtom(atomFeed(feed({ entries: [entry(), second] })));
    expect(entries.map(({ element: _element, ...e }) => e)).toEqual([
      {
        id: "tag:asklog.example,2026:status-update/3",
        title: "Completed: A customer-facing page that explains CPOR and POE",
        updated: "2021-07-23T15:00:00.000Z",
        published: "2021-07-23T15:00:00.000Z",
        link: "https://asklog.example/asks/12-a-customer-facing-page-that-explains-cpor-and-poe#status-update-3",
        author: "Program team",
        contentType: "html",
        content: entry().contentHtml,
      },
      {
        id: "https://asklog.example/asks/12#comment-7",
        title: "Comment by Pat on the CPOR page",
        updated: "2021-05-20T11:15:00.000Z",
        published: null,
        link: "https://asklog.example/asks/12-a-customer-facing-page#comment-7",
        author: "Pat (Dell)",
        contentType: "html",
        content: "<p>We asked for this <strong>months</strong> ago.</p>",
      },
    ]);
  });

  it("leaves out the subtitle when there is none, and writes an empty feed", () => {
    const parsed = readAtom(atomFeed(feed({ subtitle: undefined, entries: [] })));
    expect(parsed.subtitle).toBeNull();
    expect(parsed.entries).toEqual([]);
  });

  it("carries markup in titles, names, links and content as text, never as elements", () => {
    const attack = `<script>alert("x")</script> & <b onmouseover='alert(1)'>bold</b> ]]> &amp;`;
    const html = `<p>${attack}</p><img src="x" onerror="alert(1)">`;
    const parsed = readAtom(
      atomFeed(
        feed({
          title: attack,
          subtitle: attack,
          selfUrl: `${origin}/feeds/updates.atom?a=1&b="2"`,
          entries: [
            entry({
              title: attack,
              authorName: attack,
              link: `${origin}/asks/1-x?q=<script>&x="y"`,
              contentHtml: html,
            }),
          ],
        }),
      ),
    );
    expect(parsed.title).toBe(attack);
    expect(parsed.subtitle).toBe(attack);
    expect(parsed.links.self?.href).toBe(`${origin}/feeds/updates.atom?a=1&b="2"`);
    const [e] = parsed.entries;
    expect(e).toMatchObject({ title: attack, author: attack, content: html });
    expect(e?.link).toBe(`${origin}/asks/1-x?q=<script>&x="y"`);
    // Only Atom's own elements: nothing from the payload became markup.
    expect(Array.from(e?.element.querySelectorAll("*") ?? []).map((el) => el.localName)).toEqual([
      "id",
      "title",
      "updated",
      "published",
      "link",
      "author",
      "name",
      "content",
    ]);
  });

  it("drops characters XML 1.0 forbids, so the document still parses, and keeps the rest", () => {
    const dirty = "Bell\u0007 NUL\u0000 escape\u001b vt\u000b ff\u000c \ufffe\uffff lone\ud800 low\udc00 end";
    // The parser is strict: the same text written raw makes the document unreadable.
    expect(() => parseXml(`<title xmlns="${atomNs}">${dirty}</title>`)).toThrow(/not well-formed/);

    const kept = "tab\there, lines\nand\r\nreturns, 🚀 emoji, é, \u2028 and \u0085";
    const parsed = readAtom(
      atomFeed(
        feed({
          title: dirty,
          entries: [entry({ title: `${dirty} ${kept}`, authorName: dirty, contentHtml: `<p>${dirty}</p>` })],
        }),
      ),
    );
    expect(parsed.title).toBe("Bell NUL escape vt ff  lone low end");
    const [e] = parsed.entries;
    // The parser normalizes line ends to \n, as XML requires.
    expect(e?.title).toBe(`Bell NUL escape vt ff  lone low end ${kept.replace("\r\n", "\n")}`);
    expect(e?.author).toBe("Bell NUL escape vt ff  lone low end");
    expect(e?.content).toBe("<p>Bell NUL escape vt ff  lone low end</p>");
  });

  it("writes dates as RFC 3339 in UTC and refuses an invalid one", () => {
    const parsed = readAtom(atomFeed(feed({ updated: "2021-07-23T17:00:00+02:00" })));
    expect(parsed.updated).toBe("2021-07-23T15:00:00.000Z");
    expect(() => atomFeed(feed({ updated: "yesterday" }))).toThrow(RangeError);
  });
});

describe("tagUri", () => {
  it("names the host of the origin, without scheme or port, and a fixed date", () => {
    expect(tagUri("http://localhost:3000", "asks/12")).toBe("tag:localhost,2026:asks/12");
    expect(tagUri("https://asks.partner.example", "comment/7")).toBe("tag:asks.partner.example,2026:comment/7");
  });
});
