// Turns what a person types into a safe FTS5 query. Nothing typed is passed to
// FTS5 as syntax: every word becomes a quoted string, so "NEAR(", a stray
// quote or a lone "*" can never raise a syntax error or change the meaning.
//
//   rebate accrual      both words (the last one as a prefix while typing)
//   "proof of execution" the exact phrase
//   -declined           leave out asks that mention it

// `match` is the FTS5 expression: every wanted word (anywhere in the ask's
// history, as each ask is one row) and none of the excluded ones.
export type ParsedQuery =
  | { ok: true; match: string; terms: string[] }
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
  const wanted = `(${include.join(" AND ")})`;
  return { ok: true, match: exclude.length ? `${wanted} NOT (${exclude.join(" OR ")})` : wanted, terms };
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
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose
  for (const [i, piece] of snippet.split(/[\u0001\u0002]/).entries()) {
    if (piece) parts.push({ text: piece, hit: i % 2 === 1 });
  }
  return parts;
}
