import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAsk, getAsk } from "~/models/ask.server";
import { createCategory } from "~/models/category.server";
import { addComment } from "~/models/comment.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { createTeam } from "~/models/team.server";
import { createUser, listUsersForAdmin } from "~/models/user.server";
import { askPath } from "~/slug";
import { closeDb } from "../../db/client";
import { at } from "../../scripts/lists";
import { xssPayloads } from "../xss-payloads";
import { launchBrowser } from "./browser";
import { get, signIn, url } from "./http";
import { attributeOf, checkPage, hasElement, readFeed, scriptKinds, textOf, textsOf } from "./xss-checks";

// Every payload goes through every field a page shows: written through the app's own
// model functions into the e2e server's database (a resolution link's URL as if it had
// been imported, past the form's http/https check), then read back over HTTP from every
// page that shows it, as each kind of viewer.

type Case = {
  n: number;
  payload: string;
  // Organizations whose names differ only in case or spacing are one, so each payload's
  // organization carries its number too.
  organization: string;
  email: string;
  userId: number;
  cookie: string;
  categoryId: number;
  teamId: number;
  path: string;
  title: string;
  comment: string;
  commentId: number;
  note: string;
  updateId: number;
  linkTitle: string;
};

// The fields each payload is written into.
const fields = [
  "ask title",
  "ask description",
  "comment",
  "status note",
  "resolution link title",
  "resolution link URL",
  "display name",
  "organization",
  "team name",
  "category name",
  "search query",
] as const;

// A header carries only Latin-1 without line breaks or NUL, and loses surrounding spaces:
// the payloads that fit go in as the User-Agent of their author's sign-in.
function deviceOf(c: { payload: string }): string | undefined {
  return /^[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/.test(c.payload)
    ? c.payload
    : undefined;
}

// As the text arrives from any form or import: UTF-8, where a lone surrogate cannot
// exist and has become U+FFFD. (Written as-is, one would come back from the audit log's
// JSON as a real lone surrogate that React renders differently on server and client.)
const payloads = xssPayloads.map((payload) => Buffer.from(payload).toString());

const password = "xss-author-password";
const cases: Case[] = [];
const viewers: Record<"partner" | "team" | "admin", string> = { partner: "", team: "", admin: "" };
let pagesChecked = 0;

function findUserId(email: string): number {
  const found = listUsersForAdmin({ q: email, page: 1 }).users.find((u) => u.email === email);
  if (!found) throw new Error(`no user ${email} in the e2e database`);
  return found.id;
}

async function inParallel<T, R>(items: T[], fn: (item: T, index: number) => Promise<R>, width = 4): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(at(items, index), index);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

beforeAll(async () => {
  // db() opens lazily: pointed at the server's file before the first model call.
  process.env.DATABASE_PATH = inject("databasePath");
  const adminId = findUserId(inject("admin").email);
  const teamMemberId = findUserId("tariq@asklog.example");
  const planned = getStatusBySlug("planned");
  if (!planned) throw new Error("no planned status");
  const stamp = Date.now();
  const emails = payloads.map((_, n) => `xss-${n}-${stamp}@xss.example`);
  // Password hashing dominates the setup; it runs off the main thread, so a few at a time.
  const users = await inParallel(payloads, (payload, n) =>
    createUser({ email: at(emails, n), displayName: payload, organization: `o${n} ${payload}`, password }).then(
      (created) => {
        if (!created.ok) throw new Error(`user for payload ${n} refused`);
        return created.user;
      },
    ),
  );
  for (const [n, payload] of payloads.entries()) {
    const email = at(emails, n);
    const user = at(users, n);
    // Markers make each field findable by search without changing the payload around them.
    const category = createCategory({ name: `c${n} ${payload}`, actorId: adminId });
    const team = createTeam({ name: `t${n} ${payload}`, actorId: adminId });
    if (!category.ok || !team.ok) throw new Error(`category or team for payload ${n} refused`);
    const title = `${payload} xsst${n}`;
    const body = `xssd${n}\n\n${payload}`;
    const ask = createAsk({ title, body, categoryId: category.id, authorId: user.id });
    if (!ask.ok) throw new Error(`ask for payload ${n} refused`);
    const comment = `xssc${n}\n\n${payload}`;
    const added = addComment({ askId: ask.id, body: comment, authorId: user.id });
    if (!added.ok) throw new Error(`comment for payload ${n} refused`);
    const note = `xssn${n}\n\n${payload}`;
    const linkTitle = `${payload} xssl${n}`;
    const update = recordStatusUpdate({
      askId: ask.id,
      toStatusId: planned.id,
      teamId: team.id,
      note,
      links: [{ url: payload, title: linkTitle }],
      actorId: teamMemberId,
    });
    if (!update.ok) throw new Error(`status update for payload ${n} refused`);
    cases.push({
      n,
      payload,
      // Stored as organizations are: runs of spaces made one.
      organization: `o${n} ${payload}`.trim().replace(/\s+/g, " "),
      email,
      userId: user.id,
      cookie: "",
      categoryId: category.id,
      teamId: team.id,
      path: askPath(ask),
      title,
      comment,
      commentId: added.id,
      note,
      updateId: update.id,
      linkTitle,
    });
  }
  // The account page names each session's device by its User-Agent (as written, when it names no known browser).
  const cookies = await inParallel(cases, (c) => signIn(c.email, password, deviceOf(c)));
  for (const [i, c] of cases.entries()) c.cookie = at(cookies, i);
  viewers.partner = await signIn("dana@contoso.example", "asklog-demo");
  viewers.team = await signIn("tariq@asklog.example", "asklog-demo");
  viewers.admin = await signIn(inject("admin").email, inject("admin").password);
}, 600_000);

afterAll(() => {
  closeDb();
  const devices = cases.filter((c) => deviceOf(c)).length;
  console.log(
    `XSS: ${cases.length} payloads × ${fields.length} fields + ${devices} as a sign-in's User-Agent = ${cases.length * fields.length + devices} tried; ${pagesChecked} pages and feeds checked`,
  );
});

// Text as an HTML or XML parser reads it back: CR LF becomes LF.
function readBack(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

// XML 1.0 cannot carry these; the feed writer drops them.
function readBackXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML forbids are the point
  return readBack(text).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

const sameText = (received: string | undefined, expected: string) =>
  received !== undefined && readBack(received) === readBack(expected);
const showsText = (shown: string | undefined, expected: string) => readBack(shown ?? "").includes(readBack(expected));
const sameXmlText = (received: string, expected: string) => readBackXml(received) === readBackXml(expected);

const baselines = new Map<string, string[]>();

// The scripts a clean page of the same route has, for the same viewer.
async function cleanScripts(path: string, cookie?: string): Promise<string[]> {
  const key = `${cookie ?? ""} ${path}`;
  if (!baselines.has(key)) {
    const response = await get(path, cookie);
    expect(response.status, `clean page ${path}`).toBe(200);
    baselines.set(key, scriptKinds(await response.text()));
  }
  return baselines.get(key) as string[];
}

type Problems = string[];

function label(c: Case | undefined, path: string): string {
  return c ? `payload #${c.n} ${JSON.stringify(c.payload)} at ${path}` : path;
}

// Fetches a page that must answer 200 with a content type; notes a problem where it does not.
async function fetchChecked(
  problems: Problems,
  c: Case | undefined,
  path: string,
  contentType: string,
  cookie?: string,
): Promise<{ body: string; ok: boolean }> {
  const response = await get(path, cookie);
  pagesChecked++;
  const body = await response.text();
  if (response.status !== 200) {
    problems.push(`${label(c, path)}: status ${response.status}`);
    return { body, ok: false };
  }
  if (!response.headers.get("content-type")?.startsWith(contentType)) {
    problems.push(`${label(c, path)}: served as ${response.headers.get("content-type")}`);
  }
  return { body, ok: true };
}

// Fetches a page, checks it and hands back its HTML for field-specific checks.
async function checkHtml(
  problems: Problems,
  c: Case | undefined,
  path: string,
  clean: { path: string; cookie?: string },
  cookie?: string,
): Promise<string> {
  const { body: html, ok } = await fetchChecked(problems, c, path, "text/html", cookie);
  if (!ok) return html;
  const expectedScripts = await cleanScripts(clean.path, clean.cookie ?? cookie);
  problems.push(...checkPage(html, { expectedScripts }).map((p) => `${label(c, path)}: ${p}`));
  return html;
}

async function checkFeed(problems: Problems, c: Case | undefined, path: string) {
  const { body: xml, ok } = await fetchChecked(problems, c, path, "application/atom+xml");
  if (!ok) return undefined;
  const feed = readFeed(xml);
  problems.push(...feed.problems.map((p) => `${label(c, path)}: ${p}`));
  return feed;
}

// Two requests at a time: the server renders one while this process parses the other.
async function forEachCase(fn: (c: Case) => Promise<void>): Promise<void> {
  await inParallel(cases, fn, 2);
}

function expectNone(problems: Problems) {
  expect(problems, problems.slice(0, 40).join("\n")).toEqual([]);
}

const demoAsk = () => askPath(getAsk(1) as { id: number; slug: string });
const byId = (id: string) => (e: { attribs: Record<string, string> }) => e.attribs.id === id;
const linkTo = (path: string) => (e: { name: string; attribs: Record<string, string> }) =>
  e.name === "a" && e.attribs.href === path;

describe("the checks themselves", () => {
  // A check that cannot fail proves nothing: each of these pages hides one way in.
  const clean =
    '<html><head><link rel="stylesheet" href="/a.css"></head><body><div class="markdown"><p>ok</p></div><script nonce="n">window.__remixContext = {}</script></body></html>';
  const expectedScripts = scriptKinds(clean);

  it("passes a clean page", () => {
    expect(checkPage(clean, { expectedScripts })).toEqual([]);
  });

  it.each([
    ["an extra script", "<script>alert(1)</script>"],
    ["a handler", '<img src="x" onerror="alert(1)">'],
    ["an entity-encoded script URL", '<a href=" &#106;avascript&colon;alert(1)">x</a>'],
    ["a data: URL", '<iframe src="DATA:text/html,x"></iframe>'],
    ["a meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
    ["a form posting off-site", '<form action="https://evil.example/"><button>go</button></form>'],
    ["markup in user content", '<div class="markdown"><div title="x">x</div></div>'],
    ["svg", "<svg><a>x</a></svg>"],
  ])("flags %s", (_, injected) => {
    expect(checkPage(clean.replace("</body>", `${injected}</body>`), { expectedScripts })).not.toEqual([]);
  });

  it("flags a data script that a payload could end early", () => {
    const broken = clean.replace("window.__remixContext = {}", 'window.__remixContext = {"t":"<!--<script>"}');
    expect(checkPage(broken, { expectedScripts })).not.toEqual([]);
  });

  it("flags a feed that is not well-formed, not Atom, or carries a script", () => {
    const feed = (entry: string) =>
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>${entry}</feed>`;
    expect(
      readFeed(feed('<entry><title>x</title><content type="html">&lt;p&gt;ok&lt;/p&gt;</content></entry>')).problems,
    ).toEqual([]);
    expect(readFeed(feed("<entry><title>a < b</title></entry>")).problems).not.toEqual([]);
    expect(readFeed(feed('<entry><x:script xmlns:x="http://www.w3.org/1999/xhtml"/></entry>')).problems).not.toEqual(
      [],
    );
    expect(
      readFeed(feed('<entry><content type="html">&lt;script&gt;alert(1)&lt;/script&gt;</content></entry>')).problems,
    ).not.toEqual([]);
  });
});

describe("every payload in every field, read back from the server", () => {
  it("has a real corpus to work with", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it("the ask page shows them as text, to visitors, the author and a team member", async () => {
    const problems: Problems = [];
    await forEachCase(async (c) => {
      const visitor = await checkHtml(problems, c, c.path, { path: demoAsk() });
      const h1 = textOf(visitor, byId("ask-title"));
      if (!sameText(h1, c.title)) problems.push(`${label(c, c.path)}: title reads ${JSON.stringify(h1)}`);
      const page = textOf(visitor, (e) => e.name === "main") ?? "";
      const fields: [field: string, text: string][] = [
        ["display name", `Suggested by ${c.payload}`],
        ["team name", `t${c.n} ${c.payload}`],
        ["category name", `c${c.n} ${c.payload}`],
        ["link title", c.linkTitle],
        ["description", `xssd${c.n}`],
        ["status note", `xssn${c.n}`],
        ["comment", `xssc${c.n}`],
      ];
      for (const [field, text] of fields) {
        if (!showsText(page, text)) problems.push(`${label(c, c.path)}: ${field} not shown as text`);
      }

      // The author editing their comment: the text goes back into a textarea.
      const editing = `${c.path}?edit=${c.commentId}`;
      const author = await checkHtml(problems, c, editing, { path: demoAsk() }, c.cookie);
      if (!textsOf(author, (e) => e.name === "textarea").some((t) => sameText(t, c.comment))) {
        problems.push(`${label(c, editing)}: no textarea holds the comment as written`);
      }
      const header = textOf(author, (e) => e.name === "header") ?? "";
      if (!showsText(header, `${c.payload} (${c.organization})`)) {
        problems.push(`${label(c, editing)}: header does not name the author and organization as text`);
      }

      await checkHtml(problems, c, c.path, { path: demoAsk() }, viewers.team);
    });
    expectNone(problems);
  }, 600_000);

  it("the status update editor puts the note and the link back into its fields as text", async () => {
    const problems: Problems = [];
    await forEachCase(async (c) => {
      const path = `${c.path}/status?update=${c.updateId}`;
      const html = await checkHtml(problems, c, path, { path: `${demoAsk()}/status` }, viewers.team);
      const note = textOf(html, (e) => e.name === "textarea");
      if (!sameText(note, c.note)) problems.push(`${label(c, path)}: note field holds ${JSON.stringify(note)}`);
      const link = attributeOf(html, (e) => e.name === "input" && e.attribs.name === "links.0.url", "value");
      if (!sameText(link, c.payload)) problems.push(`${label(c, path)}: link URL field holds ${JSON.stringify(link)}`);
    });
    expectNone(problems);
  }, 600_000);

  it("search finds each field by its marker and shows the match as text; the query is echoed as text", async () => {
    const problems: Problems = [];
    await forEachCase(async (c) => {
      for (const marker of ["xsst", "xssd", "xssn", "xssc", "xssl"]) {
        // Quoted: a bare last word is a prefix, and "xsst1" would also find xsst10 to xsst126.
        const path = `/search?q=${encodeURIComponent(`"${marker}${c.n}"`)}`;
        const html = await checkHtml(problems, c, path, { path: "/search?q=CPOR" });
        if (!hasElement(html, linkTo(c.path))) problems.push(`${label(c, path)}: the ask is not among the results`);
      }
      const query = `/search?q=${encodeURIComponent(c.payload)}`;
      const html = await checkHtml(problems, c, query, { path: "/search?q=CPOR" });
      const echoed = attributeOf(html, byId("search-q"), "value");
      if (!sameText(echoed, c.payload.slice(0, 200))) {
        problems.push(`${label(c, query)}: search box holds ${JSON.stringify(echoed)}`);
      }
      // Other places that put a query parameter back into the page.
      await checkHtml(problems, c, `/?q=${encodeURIComponent(c.payload)}`, { path: "/?q=CPOR" });
      await checkHtml(problems, c, `/signin?redirectTo=${encodeURIComponent(c.payload)}`, { path: "/signin" });
      await checkHtml(
        problems,
        c,
        `/admin/users?q=${encodeURIComponent(c.payload)}`,
        { path: "/admin/users?q=dana" },
        viewers.admin,
      );
      for (const api of [
        `/api/search?q=${encodeURIComponent(c.payload)}`,
        `/api/asks/similar?title=${encodeURIComponent(c.payload)}`,
      ]) {
        const response = await get(api);
        pagesChecked++;
        await response.arrayBuffer();
        // JSON that echoes input is only safe while no browser would render it as a page.
        if (!response.headers.get("content-type")?.startsWith("application/json")) {
          problems.push(`${label(c, api)}: served as ${response.headers.get("content-type")}`);
        }
      }
    });
    expectNone(problems);
  }, 600_000);

  it("lists show them: newest asks, my asks, the account page, roadmap, triage and admin users", async () => {
    const problems: Problems = [];
    const unseen = new Set(cases.map((c) => c.path));
    for (let page = 1; unseen.size && page <= Math.ceil(cases.length / 20) + 5; page++) {
      const path = `/?sort=newest&page=${page}`;
      const html = await checkHtml(problems, undefined, path, { path: "/?sort=newest" });
      for (const c of cases) if (hasElement(html, linkTo(c.path))) unseen.delete(c.path);
    }
    if (unseen.size) problems.push(`newest list never showed ${[...unseen].join(", ")}`);

    await forEachCase(async (c) => {
      const pages: [string, string | undefined, string][] = [
        ["/my-asks", c.cookie, "/my-asks"],
        [`/roadmap?category=${c.categoryId}`, undefined, "/roadmap"],
        [`/triage?view=by-team&team=${c.teamId}`, viewers.team, "/triage?view=by-team"],
      ];
      for (const [path, cookie, clean] of pages) {
        const html = await checkHtml(problems, c, path, { path: clean }, cookie);
        if (!hasElement(html, linkTo(c.path))) problems.push(`${label(c, path)}: the ask is not listed`);
      }
      const account = await checkHtml(problems, c, "/account", { path: "/account" }, c.cookie);
      const details = textOf(account, (e) => e.name === "main") ?? "";
      if (!showsText(details, `Name${c.payload}`) || !showsText(details, `Organization${c.organization}`)) {
        problems.push(`${label(c, "/account")}: name and organization not shown as text`);
      }
      const users = `/admin/users?q=${encodeURIComponent(c.email)}&edit=${c.userId}`;
      const html = await checkHtml(problems, c, users, { path: "/admin/users?q=dana" }, viewers.admin);
      if (
        !showsText(
          textOf(html, (e) => e.name === "table"),
          c.payload,
        )
      ) {
        problems.push(`${label(c, users)}: the user's name is not in the table`);
      }
    });
    expectNone(problems);
  }, 600_000);

  it("pages that list every team and category, and the audit log, stay harmless", async () => {
    const problems: Problems = [];
    const pages: [string, string | undefined][] = [
      ["/search", undefined],
      ["/roadmap", undefined],
      ["/", undefined],
      ["/asks/new", viewers.partner],
      ["/triage?view=by-team", viewers.team],
      ["/admin/teams", viewers.admin],
      ["/admin/categories", viewers.admin],
      ["/admin/users?q=%40xss.example", viewers.admin],
    ];
    for (let page = 1; page <= Math.ceil((cases.length * 3) / 50) + 1; page++)
      pages.push([`/admin/audit?page=${page}`, viewers.admin]);
    for (const [path, cookie] of pages) {
      const clean = path.startsWith("/admin/audit") ? "/admin/audit" : path;
      await checkHtml(problems, undefined, path, { path: clean }, cookie);
    }
    expectNone(problems);
  }, 600_000);

  it("Atom feeds stay well-formed, carry the payloads as text, and their HTML is harmless", async () => {
    const problems: Problems = [];
    await forEachCase(async (c) => {
      const path = `${c.path}/feed.atom`;
      const feed = await checkFeed(problems, c, path);
      if (feed && !sameXmlText(feed.title, `${c.title} · Asklog`)) {
        problems.push(`${label(c, path)}: feed title reads ${JSON.stringify(feed.title)}`);
      }
      if (feed && !feed.entryTitles.some((t) => sameXmlText(t, `Comment by ${c.payload} on ${c.title}`))) {
        problems.push(`${label(c, path)}: no comment entry naming the author as text`);
      }
      for (const marker of ["xssd", "xssn", "xssc"]) {
        const search = await checkFeed(problems, c, `/search.atom?q=${marker}${c.n}`);
        if (search && !search.entryTitles.some((t) => readBackXml(t).startsWith(readBackXml(c.title)))) {
          problems.push(`${label(c, `/search.atom?q=${marker}${c.n}`)}: the ask is not an entry`);
        }
      }
      const echoed = `/search.atom?q=${encodeURIComponent(c.payload)}`;
      const response = await get(echoed);
      pagesChecked++;
      const xml = await response.text();
      // A query the search cannot use is refused in plain text; any feed it gives must be sound.
      if (response.status === 200) problems.push(...readFeed(xml).problems.map((p) => `${label(c, echoed)}: ${p}`));
      else if (!response.headers.get("content-type")?.startsWith("text/plain")) {
        problems.push(`${label(c, echoed)}: refusal served as ${response.headers.get("content-type")}`);
      }
    });
    const updates = await checkFeed(problems, undefined, "/feeds/updates.atom");
    if (
      updates &&
      !cases.slice(-10).every((c) => updates.entryTitles.some((t) => sameXmlText(t, `Planned: ${c.title}`)))
    ) {
      problems.push("the updates feed does not list the latest payload updates by title");
    }
    expectNone(problems);
  }, 600_000);
});

describe("the same pages in Chromium, with JavaScript", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // CSP is bypassed on purpose: the markup itself must be harmless, not merely blocked.
  async function browse(
    paths: string[],
    cookie?: string,
    prepare?: (context: BrowserContext) => Promise<unknown>,
  ): Promise<Problems> {
    const context = await browser.newContext({ baseURL: inject("baseUrl"), bypassCSP: true });
    await prepare?.(context);
    context.setDefaultTimeout(15_000);
    if (cookie) {
      await context.addCookies(
        cookie.split("; ").map((pair) => {
          const at = pair.indexOf("=");
          return { name: pair.slice(0, at), value: pair.slice(at + 1), url: url("/") };
        }),
      );
    }
    const problems: Problems = [];
    const page = await context.newPage();
    let current = "";
    page.on("dialog", (dialog) => {
      problems.push(`${current}: a ${dialog.type()} dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => problems.push(`${current}: script error ${error.message}`));
    for (const path of paths) {
      current = path;
      await page.goto(path, { waitUntil: "load" });
      pagesChecked++;
      const found = await page.evaluate(() => {
        const seen: string[] = [];
        if ((window as { __xss?: unknown }).__xss !== undefined) seen.push("window.__xss was set");
        for (const element of document.querySelectorAll("*")) {
          for (const { name, value } of element.attributes) {
            if (name.startsWith("on")) seen.push(`${name} on <${element.localName}>`);
            if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(name)) {
              let protocol = "unparsable:";
              try {
                protocol = new URL(value, document.baseURI).protocol;
              } catch {
                // not a URL the browser would follow
              }
              if (!["http:", "https:", "mailto:", "unparsable:"].includes(protocol)) {
                seen.push(`${name}=${JSON.stringify(value)} on <${element.localName}> resolves to ${protocol}`);
              }
            }
          }
        }
        if (document.querySelector("iframe, object, embed, svg, math, base, .markdown script, .markdown form")) {
          seen.push("an element from user content that runs or loads code");
        }
        return seen;
      });
      problems.push(...found.map((f) => `${path}: ${f}`));
    }
    await context.close();
    return problems;
  }

  it("notices a payload that runs, a dialog and a script link", async () => {
    const problems = await browse(["/self-check"], undefined, (context) =>
      context.route("**/self-check", (route) =>
        route.fulfill({
          contentType: "text/html",
          body: '<img src="x" onerror="window.__xss=1"><script>alert(1)</script><a href="javascript:void 0">x</a>',
        }),
      ),
    );
    expect(problems.join("\n")).toMatch(/__xss was set/);
    expect(problems.join("\n")).toMatch(/alert dialog opened/);
    expect(problems.join("\n")).toMatch(/resolves to javascript:/);
  });

  it("runs no payload: no dialog, window.__xss unset, no script URL in any link", async () => {
    const picked = cases.filter((c) =>
      /__xss|^\W*(javascript|data|vbscript):|<\/(script|textarea|title)/i.test(c.payload),
    );
    const marked = cases.filter((c) => c.payload.includes("__xss"));
    expect(picked.length).toBeGreaterThanOrEqual(10);
    const problems: Problems = [
      ...(await browse([
        ...picked.map((c) => c.path),
        ...Array.from({ length: Math.ceil(cases.length / 20) }, (_, i) => `/?sort=newest&page=${i + 1}`),
        ...marked.map((c) => `/search?q=${encodeURIComponent(c.payload)}`),
        ...marked.map((c) => `/search?q=xssl${c.n}`),
        "/roadmap",
      ])),
      ...(await browse(
        [
          ...picked.slice(0, 5).map((c) => `${c.path}/status?update=${c.updateId}`),
          ...picked.slice(0, 5).map((c) => c.path),
          "/triage?view=by-team",
        ],
        viewers.team,
      )),
      ...(await browse(["/admin/users?q=%40xss.example", "/admin/audit", "/admin/teams"], viewers.admin)),
      ...(await browse(["/my-asks", `${at(picked, 0).path}?edit=${at(picked, 0).commentId}`], at(picked, 0).cookie)),
    ];
    expectNone(problems);
  }, 600_000);
});
