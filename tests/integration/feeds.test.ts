import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { addComment, deleteComment, setCommentHidden } from "~/models/comment.server";
import { setAskHidden } from "~/models/moderation.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { createTeam } from "~/models/team.server";
import type { User } from "~/models/user.server";
import * as askFeedRoute from "~/routes/asks.$ask_.feed[.]atom";
import * as updatesFeedRoute from "~/routes/feeds.updates[.]atom";
import type { ResolutionLink } from "~/validation/status-update";
import { db } from "../../db/client";
import { cookieFor, locationOf, makeAsk, makeUser, ok, route, statusOf } from "./helpers";

// jsdom's DOMParser reads "application/xml" with saxes, a conforming XML 1.0
// parser: what it reads without a <parsererror>, a feed reader can read too.
const { JSDOM } = createRequire(import.meta.url)("jsdom") as {
  JSDOM: new () => { window: { DOMParser: typeof DOMParser } };
};
const parser = new new JSDOM().window.DOMParser();
const atomNs = "http://www.w3.org/2005/Atom";

function children(parent: Element, name: string): Element[] {
  return Array.from(parent.children).filter((c) => c.namespaceURI === atomNs && c.localName === name);
}

function text(parent: Element | undefined, name: string): string | null {
  return parent ? (children(parent, name)[0]?.textContent ?? null) : null;
}

function links(parent: Element): Record<string, string | null> {
  return Object.fromEntries(children(parent, "link").map((l) => [l.getAttribute("rel"), l.getAttribute("href")]));
}

// What a feed reader takes from the document.
function readAtom(xml: string) {
  const doc = parser.parseFromString(xml, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error) throw new Error(`not well-formed: ${error.textContent}`);
  const feed = doc.documentElement;
  expect([feed.namespaceURI, feed.localName]).toEqual([atomNs, "feed"]);
  return {
    id: text(feed, "id"),
    title: text(feed, "title"),
    updated: text(feed, "updated"),
    links: links(feed),
    entries: children(feed, "entry").map((e) => ({
      id: text(e, "id") ?? "",
      title: text(e, "title"),
      updated: text(e, "updated"),
      published: text(e, "published"),
      link: links(e).alternate ?? "",
      author: text(children(e, "author")[0], "name"),
      content: text(e, "content") ?? "",
    })),
  };
}

// A feed route's answer, read as a feed reader would; anything but a 200 fails the test.
async function read(answer: Promise<unknown>): Promise<{ response: Response; feed: ReturnType<typeof readAtom> }> {
  const response = await answer;
  if (!(response instanceof Response)) throw new Error(`Expected a feed, got ${JSON.stringify(response)}`);
  expect(response.status).toBe(200);
  return { response, feed: readAtom(await response.text()) };
}

const updatesFeed = () => read(route(updatesFeedRoute, "/feeds/updates.atom").load());

const askFeedAt = (param: string) => route(askFeedRoute, `/asks/${param}/feed.atom`, { ask: param });

const askFeed = (ask: { id: number; slug: string }, cookie?: string) =>
  read(askFeedAt(`${ask.id}-${ask.slug}`).load(cookie));

// Imported history: the dates things happened, which no model lets anyone set.
function backdate(table: "asks" | "comments" | "status_updates", column: string, at: string, id: number) {
  db().$client.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(at, id);
}

const statusId = (slug: string) => getStatusBySlug(slug)?.id ?? 0;

let counter = 0;
let member: User;
let partner: User;
let moderatorCookie: string;
let partnerCookie: string;
let teams: Record<"Assignment Team" | "EPX" | "Program team", number>;

beforeAll(async () => {
  member = await makeUser({ role: "team", team: "Feeds Team" });
  partner = await makeUser({ organization: "Dell" });
  moderatorCookie = await cookieFor(member);
  partnerCookie = await cookieFor(partner);
  const team = (name: string) => ok(createTeam({ name, actorId: member.id })).id;
  teams = { "Assignment Team": team("Assignment Team"), EPX: team("EPX"), "Program team": team("Program team") };
});

// The CPOR ask from the design brief: filed in April 2021, answered in three
// dated steps whose history was imported (recorded on the day each is about).
function cporAsk() {
  counter += 1;
  const title = `A customer-facing page that explains CPOR and POE (${counter})`;
  const ask = makeAsk(partner.id, title);
  backdate("asks", "created_at", "2021-04-01T10:00:00.000Z", ask.id);
  const steps: { status: string; team: keyof typeof teams; date: string; note: string; links?: ResolutionLink[] }[] = [
    {
      status: "under-review",
      team: "Assignment Team",
      date: "2021-04-27",
      note: "Assigned to the Partner Support Team for triage.",
    },
    {
      status: "planned",
      team: "EPX",
      date: "2021-05-11",
      note: "Added to the asks shared with the OSU team for next year's planning. **Question** back to the partners: a page they can point customers to?",
    },
    {
      status: "completed",
      team: "Program team",
      date: "2021-07-23",
      note: "Completed: a standalone customer-facing page now describes CPOR.",
      links: [{ url: "https://aka.ms/about-cpor", title: "About CPOR & POE" }],
    },
  ];
  const updateIds = steps.map((s) => {
    const { id } = ok(
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: statusId(s.status),
        teamId: teams[s.team],
        note: s.note,
        aboutDate: s.date,
        links: s.links ?? [],
        actorId: member.id,
      }),
    );
    backdate("status_updates", "recorded_at", `${s.date}T15:00:00.000Z`, id);
    return id;
  });
  return { ...ask, title, url: `http://localhost/asks/${ask.id}-${ask.slug}`, updateIds };
}

describe("/feeds/updates.atom", () => {
  it("is Atom with a short public cache, and names itself and the site", async () => {
    const { response, feed } = await updatesFeed();
    expect(response.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(feed).toMatchObject({
      id: "tag:localhost,2026:feeds/updates",
      title: "Asklog status updates",
      links: { self: "http://localhost/feeds/updates.atom", alternate: "http://localhost/" },
    });
  });

  it("lists an ask's dated status updates newest first, with their links, dates and teams", async () => {
    const ask = cporAsk();
    const { feed } = await updatesFeed();
    const mine = feed.entries.filter((e) => e.link.startsWith(`${ask.url}#`));
    expect(mine.map((e) => [e.title, e.author, e.published, e.link, e.id])).toEqual([
      [
        `Completed: ${ask.title}`,
        "Program team",
        "2021-07-23T15:00:00.000Z",
        `${ask.url}#status-update-${ask.updateIds[2]}`,
        `tag:localhost,2026:status-update/${ask.updateIds[2]}`,
      ],
      [
        `Planned: ${ask.title}`,
        "EPX",
        "2021-05-11T15:00:00.000Z",
        `${ask.url}#status-update-${ask.updateIds[1]}`,
        `tag:localhost,2026:status-update/${ask.updateIds[1]}`,
      ],
      [
        `Under review: ${ask.title}`,
        "Assignment Team",
        "2021-04-27T15:00:00.000Z",
        `${ask.url}#status-update-${ask.updateIds[0]}`,
        `tag:localhost,2026:status-update/${ask.updateIds[0]}`,
      ],
    ]);
    const [completed, planned] = mine;
    expect(completed?.content).toContain("<p>2021-07-23 · Program team · Completed</p>");
    expect(completed?.content).toContain("a standalone customer-facing page now describes CPOR.");
    expect(completed?.content).toContain(
      '<p>Resolution link:</p><ul><li><a href="https://aka.ms/about-cpor">About CPOR &amp; POE</a></li></ul>',
    );
    // The note is markdown, rendered as on the ask page.
    expect(planned?.content).toContain("<strong>Question</strong> back to the partners");
    expect(planned?.content).not.toContain("Resolution link");
  });

  it("puts the newest recorded update first, even when it is about an earlier date", async () => {
    const ask = cporAsk();
    // Entered today, about a day in 2021: imported history arriving late.
    const { id: lateId } = ok(
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: statusId("completed"),
        teamId: teams.EPX,
        note: "Also linked from the partner center FAQ.",
        aboutDate: "2021-08-02",
        links: [],
        actorId: member.id,
      }),
    );
    const { feed } = await updatesFeed();
    expect(feed.entries[0]).toMatchObject({
      title: `Note on ${ask.title}`,
      link: `${ask.url}#status-update-${lateId}`,
      author: "EPX",
    });
    expect(feed.entries[0]?.content).toContain("<p>2021-08-02 · EPX · Completed</p>");
    const published = feed.entries.map((e) => e.published ?? "");
    expect(published).toEqual([...published].sort().reverse());
    expect(feed.updated).toBe(feed.entries[0]?.updated);

    // The ask's own feed judges "note" against the history before it, as the ask page does.
    const own = (await askFeed(ask)).feed.entries;
    expect(own.map((e) => e.title)).toEqual([
      `Note on ${ask.title}`,
      `Completed: ${ask.title}`,
      `Planned: ${ask.title}`,
      `Under review: ${ask.title}`,
    ]);
  });

  it("never shows a hidden ask's updates, and keeps to the latest 50", async () => {
    const title = `A busy ask about deal registration (${++counter})`;
    const ask = makeAsk(partner.id, title);
    for (let i = 0; i < 55; i++) {
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: statusId("under-review"),
        teamId: teams.EPX,
        note: `Looked at it again (${i}).`,
        links: [],
        actorId: member.id,
      });
    }
    // The newest update of all, on an ask that is then hidden.
    const hidden = cporAsk();
    recordStatusUpdate({
      askId: hidden.id,
      toStatusId: statusId("declined"),
      teamId: teams.EPX,
      note: "Declined after legal review.",
      links: [],
      actorId: member.id,
    });
    expect((await updatesFeed()).feed.entries[0]?.title).toBe(`Declined: ${hidden.title}`);
    setAskHidden({ askId: hidden.id, reason: "Posted by mistake", actorId: member.id });

    const { feed } = await updatesFeed();
    expect(feed.entries).toHaveLength(50);
    expect(feed.entries.filter((e) => e.link.includes(`/asks/${hidden.id}-`))).toEqual([]);
    expect(feed.entries[0]?.content).toContain("Looked at it again (54).");
    // Only the first of the 55 moved the ask, and it is older than the 50 shown.
    expect(feed.entries.map((e) => e.title)).toEqual(Array(50).fill(`Note on ${title}`));
  });

  it("carries titles and notes with markup as text and sanitized HTML", async () => {
    const title = `<script>alert("x")</script> & a page for partners (${++counter})`;
    const ask = makeAsk(partner.id, title);
    recordStatusUpdate({
      askId: ask.id,
      toStatusId: statusId("planned"),
      teamId: teams.EPX,
      note: 'Looks <img src=x onerror="alert(1)"> fine [click](javascript:alert(1)) \u0007',
      links: [],
      actorId: member.id,
    });
    const { feed } = await updatesFeed();
    const [e] = feed.entries.filter((x) => x.link.includes(`/asks/${ask.id}-`));
    expect(e?.title).toBe(`Planned: ${title}`);
    // The note's raw HTML was escaped by the markdown renderer; the link lost its javascript: URL.
    const html = parser.parseFromString(e?.content ?? "", "text/html");
    expect(html.querySelectorAll("img, script, [onerror]")).toHaveLength(0);
    expect(Array.from(html.querySelectorAll("a"), (a) => a.getAttribute("href"))).toEqual([null]);
    expect(html.body.textContent).toContain('Looks <img src=x onerror="alert(1)"> fine click');
  });
});

describe("/asks/<id>-<slug>/feed.atom", () => {
  it("merges the ask's status updates and readable comments, newest first", async () => {
    const ask = cporAsk();
    const at = (id: number, when: string) => backdate("comments", "created_at", when, id);
    const early = ok(
      addComment({ askId: ask.id, body: "We asked for such a page months ago.", authorId: partner.id }),
    ).id;
    at(early, "2021-05-20T11:15:00.000Z");
    const hidden = ok(addComment({ askId: ask.id, body: "Buy cheap watches", authorId: partner.id })).id;
    setCommentHidden({ commentId: hidden, askId: ask.id, reason: "Spam", actorId: member.id });
    const deleted = ok(addComment({ askId: ask.id, body: "Posted twice, sorry.", authorId: partner.id })).id;
    deleteComment({ commentId: deleted, askId: ask.id, authorId: partner.id });
    const late = ok(
      addComment({
        askId: ask.id,
        body: "The docs page is [published](https://aka.ms/about-cpor).",
        authorId: member.id,
      }),
    ).id;
    at(late, "2021-07-24T09:00:00.000Z");

    const { response, feed } = await askFeed(ask);
    expect(response.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(feed).toMatchObject({
      id: `tag:localhost,2026:asks/${ask.id}`,
      title: `${ask.title} · Asklog`,
      updated: "2021-07-24T09:00:00.000Z",
      links: { self: `${ask.url}/feed.atom`, alternate: ask.url },
    });
    expect(feed.entries.map((e) => [e.title, e.author, e.published, e.link])).toEqual([
      [
        `Comment by ${member.displayName} on ${ask.title}`,
        `${member.displayName} (Feeds Team)`,
        "2021-07-24T09:00:00.000Z",
        `${ask.url}#comment-${late}`,
      ],
      [
        `Completed: ${ask.title}`,
        "Program team",
        "2021-07-23T15:00:00.000Z",
        `${ask.url}#status-update-${ask.updateIds[2]}`,
      ],
      [
        `Comment by ${partner.displayName} on ${ask.title}`,
        `${partner.displayName} (Dell)`,
        "2021-05-20T11:15:00.000Z",
        `${ask.url}#comment-${early}`,
      ],
      [`Planned: ${ask.title}`, "EPX", "2021-05-11T15:00:00.000Z", `${ask.url}#status-update-${ask.updateIds[1]}`],
      [
        `Under review: ${ask.title}`,
        "Assignment Team",
        "2021-04-27T15:00:00.000Z",
        `${ask.url}#status-update-${ask.updateIds[0]}`,
      ],
    ]);
    expect(feed.entries[0]?.content).toBe(
      '<p>The docs page is <a href="https://aka.ms/about-cpor" rel="nofollow noopener">published</a>.</p>\n',
    );
    expect(feed.entries[1]?.content).toContain('<a href="https://aka.ms/about-cpor">About CPOR &amp; POE</a>');
    expect(feed.entries.map((e) => e.content).join()).not.toMatch(/watches|Posted twice/);
  });

  it("sends an old or bare address to the current one", async () => {
    const ask = makeAsk(partner.id, `An ask about co-sell status (${++counter})`);
    for (const param of [`${ask.id}`, `${ask.id}-an-old-title`]) {
      const result = await askFeedAt(param).load();
      expect(statusOf(result)).toBe(301);
      expect(locationOf(result)).toBe(`/asks/${ask.id}-${ask.slug}/feed.atom`);
    }
  });

  it("is not found for an unknown ask, or a hidden one unless the viewer may moderate it", async () => {
    for (const param of ["999999-no-such-ask", "0", "abc", ""]) {
      expect(statusOf(await askFeedAt(param).load()), param).toBe(404);
    }
    const ask = cporAsk();
    setAskHidden({ askId: ask.id, reason: "Under legal review", actorId: member.id });
    const param = `${ask.id}-${ask.slug}`;
    expect(statusOf(await askFeedAt(param).load())).toBe(404);
    expect(statusOf(await askFeedAt(param).load(partnerCookie))).toBe(404);

    const { response, feed } = await askFeed(ask, moderatorCookie);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(feed.entries).toHaveLength(3);
  });

  it("uses the date of the feed's first entry as its own, or the ask's when it has none", async () => {
    const ask = makeAsk(partner.id, `A quiet ask about MDF claims (${++counter})`);
    backdate("asks", "created_at", "2024-02-03T04:05:06.000Z", ask.id);
    const { feed } = await askFeed(ask);
    expect(feed.entries).toEqual([]);
    expect(feed.updated).toBe("2024-02-03T04:05:06.000Z");
  });
});
