// Turns what a person types into a safe FTS5 query. Nothing typed is passed to
// FTS5 as syntax: every word becomes a quoted string, so "NEAR(", a stray
// quote or a lone "*" can never raise a syntax error or change the meaning.
//
//   rebate accrual      both words (the last one as a prefix while typing)
//   "proof of execution" the exact phrase
//   -declined           leave out asks that mention it

// `any` finds the rows to rank (a row may hold only some of the words); `every`
// holds each wanted word on its own, since an ask matches when each of them
// appears somewhere in its history; `none` finds the asks to leave out.
export type ParsedQuery =
  | { ok: true; any: string; every: string[]; none: string | null; terms: string[] }
  | { ok: false; reason: "empty" | "only-exclusions" | "too-long" };

export const searchQueryMax = 200;

// Letters and digits in any script; everything else separates words, exactly
// as FTS5's unicode61 tokenizer does, so the query and the index agree.
const wordPattern = /[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return text.normalize("NFKC").match(wordPattern) ?? [];
}

function quote(tokens: string[]): string {
  return `"${tokens.join(" ").replaceAll('"', '""')}"`;
}

export function parseSearchQuery(raw: string, options: { prefixLast?: boolean } = {}): ParsedQuery {
  const input = raw.replaceAll("\u0000", "").trim();
  if (!input) return { ok: false, reason: "empty" };
  if (input.length > searchQueryMax) return { ok: false, reason: "too-long" };

  const include: string[] = [];
  const exclude: string[] = [];
  const terms: string[] = [];
  // A phrase in quotes (an unclosed quote runs to the end), or a bare word; either may start with "-".
  const parts = input.matchAll(/(-?)"([^"]*)"?|(-?)([^\s"]+)/g);
  const list = [...parts];
  list.forEach((part, index) => {
    const negative = (part[1] ?? part[3]) === "-";
    const isPhrase = part[2] !== undefined;
    const tokens = words(isPhrase ? part[2] : part[4]);
    if (!tokens.length) return;
    const last = index === list.length - 1;
    // While typing, the last bare word is probably unfinished: match it as a prefix.
    const prefix = options.prefixLast && last && !isPhrase && !negative && !/\s$/.test(raw);
    const fts = prefix ? `${quote(tokens)}*` : quote(tokens);
    if (negative) {
      exclude.push(fts);
    } else {
      include.push(fts);
      terms.push(...tokens.map((t) => t.toLowerCase()));
    }
  });

  if (!include.length) return { ok: false, reason: exclude.length ? "only-exclusions" : "empty" };
  return {
    ok: true,
    any: include.join(" OR "),
    every: include,
    none: exclude.length ? exclude.join(" OR ") : null,
    terms,
  };
}

export const searchMessages: Record<Exclude<ParsedQuery, { ok: true }>["reason"], string> = {
  empty: "Type a word to search for: a title word, a phrase from a status note, a comment or a link.",
  "only-exclusions": "Add at least one word to look for; words starting with “-” only leave results out.",
  "too-long": `Searches are limited to ${searchQueryMax} characters.`,
};

// Snippets come back from SQLite with \u0001 … \u0002 around each hit. They are
// split into plain segments here and rendered as text by React, so content and
// queries can never inject markup, whatever they contain.
export type SnippetPart = { text: string; hit: boolean };

export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of snippet.split(/[\u0001\u0002]/).entries()) {
    if (piece) parts.push({ text: piece, hit: i % 2 === 1 });
  }
  return parts;
}
