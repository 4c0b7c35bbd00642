import { describe, expect, it } from "vitest";
import { createStatus, getStatusBySlug, listStatuses, updateStatus } from "~/models/status.server";
import * as root from "~/root";
import * as statusesCss from "~/routes/statuses[.]css";
import { db } from "../../db/client";
import { makeUser, ok, replyData, route } from "./helpers";

async function stylesheet(path = "/statuses.css"): Promise<{ response: Response; css: string }> {
  const response = await route(statusesCss, path).load();
  if (!(response instanceof Response)) throw new Error("Expected a stylesheet");
  return { response, css: await response.text() };
}

// One rule per line, of exactly this shape: nothing else can be in the sheet.
const rule = /^\.badge\[data-status="[a-z0-9-]+"\] \{ --badge: #[0-9a-fA-F]{6}; \}$/;

describe("/statuses.css", () => {
  it("gives every status's badges the colour an admin chose, and follows a change", async () => {
    const admin = await makeUser({ role: "admin" });
    ok(
      createStatus({
        name: "Needs a partner",
        color: "#8250df",
        isClosed: false,
        acceptsVotes: true,
        actorId: admin.id,
      }),
    );

    const { response, css } = await stylesheet();
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    // Asked again on every page load, answered 304 while nothing changed.
    expect(response.headers.get("Cache-Control")).toBe("no-cache");
    const lines = css.trimEnd().split("\n");
    expect(lines).toHaveLength(listStatuses().length);
    for (const line of lines) expect(line).toMatch(rule);
    for (const status of listStatuses()) {
      expect(lines).toContain(`.badge[data-status="${status.slug}"] { --badge: ${status.color}; }`);
    }
    expect(lines).toContain('.badge[data-status="needs-a-partner"] { --badge: #8250df; }');

    ok(createStatus({ name: "Parked", color: "#57606a", isClosed: true, acceptsVotes: false, actorId: admin.id }));
    const after = await stylesheet();
    expect(after.css).toContain('.badge[data-status="parked"] { --badge: #57606a; }');
    expect(after.response.headers.get("ETag")).not.toBe(response.headers.get("ETag"));
  });

  it("leaves out a stored value that could end the rule and write CSS of its own", async () => {
    // Values no form accepts, written straight to the table: as if stored before the schema checked them.
    const insert = db().$client.prepare(
      "INSERT INTO statuses (slug, name, color, position, is_closed, accepts_votes) VALUES (?, ?, ?, 99, 0, 0)",
    );
    insert.run("sneaky", "Sneaky", "#000000; } body { display: none");
    insert.run('x"], main { display: none } .badge[data-status="y', "Quoted", "#0969da");

    const { css } = await stylesheet();
    for (const line of css.trimEnd().split("\n")) expect(line).toMatch(rule);
    expect(css).not.toContain("display");
    expect(css).toContain('.badge[data-status="planned"]');
  });
});

describe("the link to /statuses.css", () => {
  // What every page links to, as the root loader gives it.
  async function linkedHref(): Promise<string> {
    return replyData<{ statusStylesheet: string }>(await route(root, "/").load()).statusStylesheet;
  }

  it("carries a version, cached for good at that version, and a new one after a colour changes", async () => {
    const admin = await makeUser({ role: "admin" });
    const href = await linkedHref();
    expect(href).toMatch(/^\/statuses\.css\?v=[\w-]{22}$/);
    expect(await linkedHref()).toBe(href);
    const versioned = await stylesheet(href);
    expect(versioned.response.status).toBe(200);
    expect(versioned.response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(versioned.css).toBe((await stylesheet()).css);

    const planned = getStatusBySlug("planned");
    if (!planned) throw new Error("The built-in Planned status is missing");
    ok(updateStatus({ ...planned, color: "#1a7f37", actorId: admin.id }));

    const changed = await linkedHref();
    expect(changed).not.toBe(href);
    const fresh = await stylesheet(changed);
    expect(fresh.css).toContain('.badge[data-status="planned"] { --badge: #1a7f37; }');
    expect(fresh.response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    // A page still linking the old version gets today's colours, and no long cache for them.
    const stale = await stylesheet(href);
    expect(stale.css).toBe(fresh.css);
    expect(stale.response.headers.get("Cache-Control")).toBe("no-cache");
  });

  it("is asked again each time without a version, or with a made-up one", async () => {
    for (const path of ["/statuses.css", "/statuses.css?v=", "/statuses.css?v=not-a-version"]) {
      expect((await stylesheet(path)).response.headers.get("Cache-Control"), path).toBe("no-cache");
    }
  });
});
