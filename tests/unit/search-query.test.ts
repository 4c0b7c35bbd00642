import { describe, expect, it } from "vitest";
import { snippetParts } from "~/models/search-index.server";
import { parseSearchQuery } from "~/services/search-query.server";

describe("parseSearchQuery", () => {
  it("quotes every word so nothing typed is FTS5 syntax", () => {
    const q = parseSearchQuery('NEAR(cpor "x" OR AND * ^col: {a}');
    expect(q.ok && q.match).toBe('("NEAR cpor" AND "x" AND "OR" AND "AND" AND "col" AND "a"*)');
  });

  it("keeps phrases together, excludes -words and prefixes the word being typed", () => {
    const q = parseSearchQuery('"proof of execution" rebate -declined cla');
    expect(q).toEqual({
      ok: true,
      match: '("proof of execution" AND "rebate" AND "cla"*) NOT ("declined")',
      terms: ["proof", "of", "execution", "rebate", "cla"],
    });
    // The as-you-type panel sends the text untrimmed; a trailing space changes nothing, so the
    // panel and the full results (trimmed) run the same search.
    expect(parseSearchQuery("rebate ")).toEqual(parseSearchQuery("rebate"));
    // A phrase or an exclusion at the end is never a prefix.
    const phrase = parseSearchQuery('cla "rebate"');
    expect(phrase.ok && phrase.match).toBe('("cla" AND "rebate")');
  });

  it("splits URLs and punctuation the way the index does", () => {
    const q = parseSearchQuery('"aka.ms/about-cpor"');
    expect(q.ok && q.match).toBe('("aka ms about cpor")');
    const typing = parseSearchQuery("aka.ms/about-cp");
    expect(typing.ok && typing.match).toBe('("aka ms about cp"*)');
  });

  it("says what is wrong with empty, exclusion-only and overlong queries", () => {
    expect(parseSearchQuery("   ")).toEqual({ ok: false, reason: "empty" });
    expect(parseSearchQuery('"" !!! ')).toEqual({ ok: false, reason: "empty" });
    expect(parseSearchQuery("-declined")).toEqual({ ok: false, reason: "only-exclusions" });
    expect(parseSearchQuery("x".repeat(201))).toEqual({ ok: false, reason: "too-long" });
  });
});

describe("snippetParts", () => {
  it("marks hits and leaves markup as plain text", () => {
    expect(snippetParts("a <b>\u0001CPOR\u0002</b> page")).toEqual([
      { text: "a <b>", hit: false },
      { text: "CPOR", hit: true },
      { text: "</b> page", hit: false },
    ]);
  });
});
