import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { setAskHidden } from "~/models/moderation.server";
import type { User } from "~/models/user.server";
import * as adminExportPage from "~/routes/admin.export";
import * as adminExportFile from "~/routes/admin.export[.]json";
import * as askExport from "~/routes/asks.$ask_.export[.]json";
import * as asksCsv from "~/routes/asks[.]csv";
import * as schemaFile from "~/routes/import-format[.]schema[.]json";
import * as myAsksCsv from "~/routes/my-asks[.]csv";
import * as searchCsv from "~/routes/search[.]csv";
import * as triageCsv from "~/routes/triage[.]csv";
import { makeAsk, ok, route, setAskStatus, signedIn, statusOf } from "./helpers";

let admin: { user: User; cookie: string };
let partner: { user: User; cookie: string };
let teamMember: { user: User; cookie: string };
let hidden: { id: number; slug: string };
const planned: number[] = [];

// More asks than one page of the CSV export's walk (500), so the file must hold several pages.
const askCount = 520;

beforeAll(async () => {
  admin = await signedIn("admin");
  partner = await signedIn("member");
  teamMember = await signedIn("team", "EPX");
  for (let i = 0; i < askCount; i++) makeAsk(partner.user.id, `Zorblax rebate question number ${i}`);
  for (let i = 0; i < 3; i++) {
    const ask = makeAsk(teamMember.user.id, `Quarterly pipeline report ${i}`);
    setAskStatus(ask.id, "planned");
    planned.push(ask.id);
  }
  hidden = makeAsk(partner.user.id, "Quarterly pipeline report that was spam");
  setAskStatus(hidden.id, "planned");
  ok(setAskHidden({ askId: hidden.id, reason: "Spam", actorId: admin.user.id }));
});

type CsvRow = Record<string, string>;

async function csvOf(response: unknown): Promise<CsvRow[]> {
  if (!(response instanceof Response)) throw new Error(`Expected a CSV Response, got ${statusOf(response)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(
    /^attachment; filename="asklog-[a-z-]+-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  return parse(await response.text(), { columns: true, bom: true }) as CsvRow[];
}

const numbers = (rows: CsvRow[]) => rows.map((r) => Number(r.number)).sort((a, b) => a - b);

describe("the lists' CSV export", () => {
  it("holds every ask of the home list, not one page, with the columns a spreadsheet needs", async () => {
    const rows = await csvOf(await route(asksCsv, "/asks.csv?sort=newest").load(partner.cookie));
    const visible = listAsks({ sort: "newest", page: 1, includeHidden: false }).total;
    expect(rows.length).toBe(visible);
    expect(rows.length).toBeGreaterThan(askCount);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "number",
      "title",
      "url",
      "status",
      "category",
      "team",
      "author",
      "organization",
      "votes",
      "comments",
      "created_at",
      "updated_at",
    ]);
    const newest = rows[0];
    expect(newest).toMatchObject({
      number: String(planned.at(-1)),
      title: "Quarterly pipeline report 2",
      status: "Planned",
      author: teamMember.user.displayName,
      url: expect.stringMatching(new RegExp(`^http://localhost/asks/${planned.at(-1)}-`)),
    });
  });

  it("applies the list's filters, and leaves hidden asks out for a partner", async () => {
    const rows = await csvOf(await route(asksCsv, "/asks.csv?status=planned&sort=top").load(partner.cookie));
    expect(numbers(rows)).toEqual(expect.arrayContaining(planned));
    expect(rows.every((r) => r.status === "Planned")).toBe(true);
    expect(numbers(rows)).not.toContain(hidden.id);
  });

  it("includes hidden asks for team members, as their list does", async () => {
    const rows = await csvOf(await route(asksCsv, "/asks.csv?status=planned").load(teamMember.cookie));
    expect(numbers(rows)).toContain(hidden.id);
  });

  it("exports a search's results with its filters", async () => {
    const rows = await csvOf(
      await route(searchCsv, "/search.csv?q=quarterly+pipeline&status=planned").load(partner.cookie),
    );
    expect(numbers(rows)).toEqual(planned);
    const all = await csvOf(await route(searchCsv, "/search.csv?q=zorblax").load(partner.cookie));
    expect(all.length).toBe(askCount);
  });

  it("answers a search without words with the search page's message", async () => {
    const response = await route(searchCsv, "/search.csv?q=").load(partner.cookie);
    expect(statusOf(response)).toBe(400);
  });

  it("exports my asks' tab and the triage queues, the latter to team members only", async () => {
    const mine = await csvOf(await route(myAsksCsv, "/my-asks.csv?tab=filed").load(teamMember.cookie));
    expect(numbers(mine)).toEqual(planned);
    expect(statusOf(await route(triageCsv, "/triage.csv").load(partner.cookie))).toBe(403);
    const queue = await csvOf(await route(triageCsv, "/triage.csv?view=new").load(teamMember.cookie));
    expect(queue.length).toBeGreaterThan(askCount);
    expect(numbers(queue)).not.toContain(hidden.id);
  });

  it("carries no email address", async () => {
    const response = await route(asksCsv, "/asks.csv").load(admin.cookie);
    expect(await (response as Response).text()).not.toContain("@example.com");
  });
});

describe("exporting one ask", () => {
  const exportOf = (ask: { id: number; slug: string }, cookie?: string) =>
    route(askExport, `/asks/${ask.id}-${ask.slug}/export.json`, { ask: `${ask.id}-${ask.slug}` }).load(cookie);

  it("gives anyone a visible ask in the import format, without anyone's address", async () => {
    const [first] = planned;
    const ask = listAsks({ sort: "newest", page: 1 }).asks.find((a) => a.id === first);
    if (!ask) throw new Error("no ask");
    const response = (await exportOf(ask)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="asklog-ask-${ask.id}.json"`);
    const text = await response.text();
    const document = JSON.parse(text);
    expect(document).toMatchObject({ format: "asklog", version: 1, asks: [{ title: "Quarterly pipeline report 0" }] });
    expect(document.people).toHaveLength(1);
    expect(text).not.toContain("@");
  });

  it("gives an admin the author's address", async () => {
    const text = await ((await exportOf(hidden, admin.cookie)) as Response).text();
    expect(text).toContain(partner.user.email);
  });

  it("is 404 for a hidden ask unless an admin asks", async () => {
    expect(statusOf(await exportOf(hidden))).toBe(404);
    expect(statusOf(await exportOf(hidden, partner.cookie))).toBe(404);
    expect(statusOf(await exportOf(hidden, admin.cookie))).toBe(200);
  });

  it("sends an old address of the ask to the current one", async () => {
    const response = await route(askExport, `/asks/${planned[0]}/export.json`, { ask: String(planned[0]) }).load();
    expect(statusOf(response)).toBe(301);
  });
});

describe("exporting the whole site", () => {
  it("is for admins only", async () => {
    for (const { cookie } of [partner, teamMember]) {
      expect(statusOf(await route(adminExportPage, "/admin/export").load(cookie))).toBe(403);
      expect(statusOf(await route(adminExportFile, "/admin/export.json").load(cookie))).toBe(403);
    }
  });

  it("downloads every ask, hidden ones and addresses included, as a dated JSON file", async () => {
    const response = (await route(adminExportFile, "/admin/export.json").load(admin.cookie)) as Response;
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="asklog-export-${day}.json"`);
    const document = JSON.parse(await response.text());
    expect(document.format).toBe("asklog");
    expect(document.asks.length).toBeGreaterThan(askCount);
    expect(document.asks.map((a: { title: string }) => a.title)).toContain("Quarterly pipeline report that was spam");
    expect(JSON.stringify(document.people)).toContain(partner.user.email);
  });
});

describe("the published schema", () => {
  it("is served with the site's own address as its $id, for anyone, cacheable", async () => {
    const response = (await route(schemaFile, "/import-format.schema.json").load()) as Response;
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=3600");
    const schema = await response.json();
    expect(schema).toMatchObject({
      $id: "http://localhost/import-format.schema.json",
      title: "Asklog import format, version 1",
      required: ["format", "version"],
    });
  });
});
