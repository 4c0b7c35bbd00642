import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { askRecord, importDocument, linkRecord, personRecord } from "~/validation/import-format";
import { importFormatJsonSchema } from "~/validation/import-format-schema";
import type { z } from "~/validation/zod";

const doc = readFileSync(new URL("../../docs/import-format.md", import.meta.url), "utf8");

// The ```json blocks of the page, in order.
function jsonBlocks(text: string): unknown[] {
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? ""));
}

// Every problem a schema finds in a value, as "path: message".
function problems(schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const ask = {
  ref: "cpor-page",
  title: "A customer-facing page that explains CPOR and POE",
  body: "Partners find it hard to explain CPOR to their customers.",
  author: "p1",
  category: "Partner of Record",
  createdAt: "2021-04-20",
  extraVotes: 4,
  statusUpdates: [
    {
      date: "2021-07-23",
      team: "Program team",
      status: "completed",
      note: "A standalone customer-facing page now describes CPOR.",
      links: [{ url: "https://aka.ms/about-cpor", title: "About CPOR" }],
    },
  ],
  comments: [{ author: "p2", createdAt: "2021-05-01T10:00:00Z", body: "We asked for this too." }],
};

describe("docs/import-format.md", () => {
  it("ends with the JSON Schema the site serves, generated from the importer's schemas", () => {
    // If this fails after a change to the format: npx tsx scripts/import-format-doc.ts
    expect(jsonBlocks(doc).at(-1)).toEqual(importFormatJsonSchema("https://asks.example.com"));
  });

  it("shows an example that the importer's schema accepts", () => {
    const [example] = jsonBlocks(doc);
    expect(problems(importDocument, example)).toEqual([]);
  });

  it("says what the published schema is", () => {
    const schema = importFormatJsonSchema("https://asks.example.com");
    expect(schema.$id).toBe("https://asks.example.com/import-format.schema.json");
    expect(schema.title).toBe("Asklog import format, version 1");
    expect(schema.required).toEqual(["format", "version"]);
  });
});

describe("the import format's records", () => {
  it("accepts an ask with dated history, legacy votes and comments", () => {
    expect(problems(askRecord, ask)).toEqual([]);
    expect(problems(personRecord, { ref: "p1", name: "Raj Mehta", organization: "Dell", role: "partner" })).toEqual([]);
  });

  it("refuses a date that is not a calendar date, naming the value and the expected form", () => {
    expect(problems(askRecord, { ...ask, createdAt: "2021-13-01" })).toEqual([
      'createdAt: "2021-13-01" is not a date (expected YYYY-MM-DD or an ISO date-time such as 2021-05-01T10:00:00Z)',
    ]);
    const update = { ...ask.statusUpdates[0], date: "27/04/2021" };
    expect(problems(askRecord, { ...ask, statusUpdates: [update] })).toEqual([
      'statusUpdates.0.date: "27/04/2021" is not a date (expected YYYY-MM-DD)',
    ]);
  });

  it("refuses a role the format does not know", () => {
    expect(problems(personRecord, { ref: "p1", name: "Raj Mehta", role: "owner" })).toEqual([
      "role: expected partner, team or admin",
    ]);
  });

  it("refuses a javascript: link", () => {
    expect(problems(linkRecord, { url: "javascript:alert(1)", title: "Click" })).toEqual([
      'url: "javascript:alert(1)" is not a web address (expected https://… or http://…)',
    ]);
  });

  it("refuses markup in a title", () => {
    expect(problems(askRecord, { ...ask, title: 'CPOR page <img src=x onerror="alert(1)">' })).toEqual([
      "title: the title contains markup; titles are plain text",
    ]);
  });

  it("refuses a negative number of legacy votes", () => {
    expect(problems(askRecord, { ...ask, extraVotes: -4 })).toEqual([
      "extraVotes: expected a number of votes, 0 or more",
    ]);
  });

  it("refuses an ask without a ref", () => {
    const { ref: _ref, ...withoutRef } = ask;
    expect(problems(askRecord, withoutRef)).toEqual(["ref: expected a ref (text)"]);
  });
});
