import { describe, expect, it } from "vitest";
import { plainSnippet, snippetParts } from "~/models/search-index.server";
import { parseSearchQuery } from "~/services/search-query.server";

describe("parseSearchQuery", () => {
  it("quotes every word so nothing typed is FTS5 syntax", () => {
    const q = parseSearchQuery('NEAR(cpor "x" OR AND * ^col: {a}');
    expect(q.ok && q.match.exact).toBe('("NEAR cpor" AND "x" AND "OR" AND "AND" AND "col" AND "a"*)');
  });

  it("keeps phrases together, excludes -words and prefixes the word being typed", () => {
    const q = parseSearchQuery('"proof of execution" rebate -declined cla');
    expect(q).toEqual({
      ok: true,
      match: {
        exact: '("proof of execution" AND "rebate" AND "cla"*) NOT ("declined")',
        // Stemmed, the last word is a whole word: "rebates" finds "rebate" as the page's last word too.
        stems: '("proof of execution" AND "rebate" AND "cla") NOT ("declined")',
        // A phrase found only through its stems must still be there as written.
        phrases: '("proof of execution")',
        excluded: '"declined"',
        // No qualifier: no names to look up.
        names: [],
      },
      qualifiers: [],
      terms: ["proof", "of", "execution", "rebate", "cla"],
    });
    // The as-you-type panel sends the text untrimmed; a trailing space changes nothing, so the
    // panel and the full results (trimmed) run the same search.
    expect(parseSearchQuery("rebate ")).toEqual(parseSearchQuery("rebate"));
    // A phrase or an exclusion at the end is never a prefix.
    const phrase = parseSearchQuery('cla "rebate"');
    expect(phrase.ok && phrase.match).toMatchObject({ exact: '("cla" AND "rebate")', phrases: '("rebate")' });
    // Only phrases: stemming could only find what the phrases find as written.
    const phrases = parseSearchQuery('"rebates" -declined');
    expect(phrases.ok && phrases.match).toMatchObject({ exact: '("rebates") NOT ("declined")', stems: null });
  });

  it("splits URLs and punctuation the way the index does", () => {
    const q = parseSearchQuery('"aka.ms/about-cpor"');
    expect(q.ok && q.match.exact).toBe('("aka ms about cpor")');
    const typing = parseSearchQuery("aka.ms/about-cp");
    expect(typing.ok && typing.match.exact).toBe('("aka ms about cp"*)');
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

describe("plainSnippet", () => {
  const hit = (s: string) => `\u0001${s}\u0002`;

  it("shows a link as its title and URL, with the hit still marked", () => {
    expect(plainSnippet(`see [About Claiming…](https://aka.ms/${hit("about")}-${hit("cpor")}) for more`)).toBe(
      `see About Claiming… (https://aka.ms/${hit("about")}-${hit("cpor")}) for more`,
    );
    expect(plainSnippet(`[${hit("Claiming")} partner](https://aka.ms/x "About")`)).toBe(
      `${hit("Claiming")} partner (https://aka.ms/x)`,
    );
    expect(plainSnippet("<https://aka.ms/x>")).toBe("https://aka.ms/x");
  });

  it("takes out half a link cut by the snippet's edge", () => {
    const cut = plainSnippet(`aka.ms/${hit("about")}-cpor) and *Rejected`);
    expect(cut).toBe(`aka.ms/${hit("about")}-cpor) and Rejected`);
    const start = plainSnippet(`then [About ${hit("Claiming")}…](https://aka.`);
    expect(start).toBe(`then About ${hit("Claiming")}… (https://aka.`);
  });

  it("drops emphasis, code, headings, quotes and list markers, keeping snake_case and escaped characters", () => {
    expect(plainSnippet(`*${hit("Rejected")}* and **bold** _it_ ~~old~~ \`code\``)).toBe(
      `${hit("Rejected")} and bold it old code`,
    );
    expect(plainSnippet("## Plan\n> quoted\n- one\n2. two\nsnake_case_name \\*literal\\*")).toBe(
      "Plan quoted one two snake_case_name *literal*",
    );
  });
});
