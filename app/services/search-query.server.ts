import {
  findAsks,
  findSimilarTitles,
  type IndexMatch,
  type IndexQuery,
  type NamedIds,
  type NameFilter,
  organizationsNamed,
  peopleNamed,
  teamsNamed,
} from "~/models/search-index.server";
import { searchQueryMax } from "~/validation/fields";

// Turns what a person types into a safe FTS5 query. Nothing typed is passed to
// FTS5 as syntax: every word becomes a quoted string, so "NEAR(", a stray
// quote or a lone "*" can never raise a syntax error or change the meaning.
//
//   rebate accrual      both words, in any form ("rebates" finds "rebate"), the last one
//                       also as a prefix ("rebat" finds "rebate"); names of the people who
//                       wrote in the ask and their organizations count as words too
//   "proof of execution" the exact phrase, as written
//   -declined           leave out asks that mention it, in any form
//   org:dell            asks people of the organization filed, commented on or updated
//   author:"raj mehta"  asks the person filed, commented on or updated
//   team:epx            asks assigned to the team or with a status update by it
//
// A qualifier without a value (`org:`), with an unclosed quote or with an unknown key is
// plain text. One naming nothing (`org:nosuch`) finds nothing, and says so.

export const qualifierKeys = ["org", "author", "team"] as const;
export type QualifierKey = (typeof qualifierKeys)[number];

export type Qualifier = {
  key: QualifierKey;
  value: string; // as typed, without quotes
  label: string | null; // the name it resolved to; null when it names nothing
  without: string; // the query without this qualifier, for the chip that removes it
};

// `match` holds the FTS5 expressions for the exact and the stemmed index (see IndexMatch):
// every wanted word (anywhere in the ask's history, as each ask is one row) and none of
// the excluded ones, and the qualifiers' ids.
export type ParsedQuery =
  | { ok: true; match: IndexMatch; terms: string[]; qualifiers: Qualifier[] }
  | { ok: false; reason: "empty" | "only-exclusions" | "too-long" };

// Letters and digits in any script; everything else separates words, exactly
// as FTS5's unicode61 tokenizer does, so the query and the index agree.
const wordPattern = /[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return text.normalize("NFKC").match(wordPattern) ?? [];
}

function quote(tokens: string[]): string {
  return `"${tokens.join(" ").replaceAll('"', '""')}"`;
}

const all = (terms: string[]) => `(${terms.join(" AND ")})`;

// A qualifier (key:"quoted value" or key:value), else a phrase in quotes (an unclosed quote runs
// to the end), else a bare word; a phrase or a word may start with "-".
const partPattern = /(org|author|team):(?:"([^"]*)"|([^\s"]+))|(-?)"([^"]*)"?|(-?)([^\s"]+)/giu;

const resolvers: Record<QualifierKey, (value: string) => NamedIds> = {
  org: organizationsNamed,
  author: peopleNamed,
  team: teamsNamed,
};

export function parseSearchQuery(raw: string): ParsedQuery {
  const input = raw.replaceAll("\u0000", "").trim();
  if (!input) return { ok: false, reason: "empty" };
  if (input.length > searchQueryMax) return { ok: false, reason: "too-long" };

  const exact: string[] = [];
  const stems: string[] = [];
  const phrases: string[] = [];
  const exclude: string[] = [];
  const terms: string[] = [];
  const qualifiers: Qualifier[] = [];
  const names: NameFilter[] = [];
  const list = [...input.matchAll(partPattern)];
  list.forEach((part, index) => {
    const key = part[1]?.toLowerCase() as QualifierKey | undefined;
    const value = (part[2] ?? part[3] ?? "").replace(/\s+/g, " ").trim();
    if (key && words(value).length) {
      const { ids, label } = resolvers[key](value);
      const at = part.index ?? 0;
      const without = `${input.slice(0, at)} ${input.slice(at + part[0].length)}`.replace(/\s+/g, " ").trim();
      qualifiers.push({ key, value, label, without });
      names.push({ kind: key, ids });
      return;
    }
    // Anything else, a qualifier without a value included, is text.
    const negative = (part[4] ?? part[6]) === "-";
    const isPhrase = part[5] !== undefined;
    const tokens = words(key ? part[0] : ((isPhrase ? part[5] : part[7]) ?? ""));
    if (!tokens.length) return;
    const quoted = quote(tokens);
    if (negative) {
      exclude.push(quoted);
      return;
    }
    // The last bare word may be unfinished: it matches as a prefix, on every page that searches,
    // so the full results never hold fewer asks than the as-you-type panel promised.
    const prefix = index === list.length - 1 && !isPhrase;
    exact.push(prefix ? `${quoted}*` : quoted);
    // Stemmed, a phrase matches its other forms too ("rebates" finds "rebate"): `phrases`
    // then keeps only the asks that hold it as written.
    stems.push(quoted);
    if (isPhrase) phrases.push(quoted);
    terms.push(...tokens.map((t) => t.toLowerCase()));
  });

  if (!exact.length && !names.length) return { ok: false, reason: exclude.length ? "only-exclusions" : "empty" };
  const excluded = exclude.length ? exclude.join(" OR ") : null;
  const without = excluded ? ` NOT (${excluded})` : "";
  return {
    ok: true,
    match: {
      exact: exact.length ? `${all(exact)}${without}` : null,
      // Without a bare word, stemming finds nothing more: the phrases must be there as written.
      stems: phrases.length < stems.length ? `${all(stems)}${without}` : null,
      phrases: phrases.length ? all(phrases) : null,
      excluded,
      names,
    },
    terms,
    qualifiers,
  };
}

export type SearchRefusal = Exclude<ParsedQuery, { ok: true }>["reason"];

export const searchMessages: Record<SearchRefusal, string> = {
  empty: "Type a word to search for: a title word, a phrase from a status note, a comment or a link.",
  "only-exclusions": "Add at least one word to look for; words starting with “-” only leave results out.",
  "too-long": `Searches are limited to ${searchQueryMax} characters.`,
};

export type SearchOptions = Omit<IndexQuery, "match"> & { q: string };

// What the search page, its feed and the as-you-type results answer: the matching
// asks, best first, or the reason the query cannot be run.
export function searchAsks({ q, ...filter }: SearchOptions) {
  const parsed = parseSearchQuery(q);
  if (!parsed.ok) return parsed;
  return { ok: true as const, ...findAsks({ ...filter, match: parsed.match }), qualifiers: parsed.qualifiers };
}

export type SearchOutcome = ReturnType<typeof searchAsks>;

const stopWords = new Set(
  "a an and are as at be but by for from has have how i in into is it its of on or our so that the their them then there these they this to was we what when where which who why will with without you your".split(
    " ",
  ),
);

// The words of a title being typed that say what it is about: no short words,
// no stop words, each once. The last one may be half typed.
function titleWords(title: string): string[] {
  const found = title.normalize("NFKC").toLowerCase().match(wordPattern) ?? [];
  return [...new Set(found.filter((w) => w.length > 2 && !stopWords.has(w)))];
}

// Asks whose titles share words with what someone is typing, best first. Filing hints say
// "vote there", so they ask for `votable` asks only; the merge picker takes closed ones too.
// `excludeId`: the ask being edited, which is no duplicate of itself.
export function similarAsks(
  title: string,
  { limit = 5, votable = false, excludeId }: { limit?: number; votable?: boolean; excludeId?: number } = {},
) {
  const typed = titleWords(title);
  // Closed asks and the excluded one are dropped after ranking, so ask for enough to fill the list.
  const found = findSimilarTitles(typed, (votable ? limit * 2 : limit) + (excludeId ? 1 : 0)).filter(
    (ask) => (!votable || ask.status.acceptsVotes) && ask.id !== excludeId,
  );
  return found.slice(0, limit).map((ask) => {
    const words = new Set(ask.title.toLowerCase().match(wordPattern) ?? []);
    const shared = typed.filter(
      (w, i) => words.has(w) || (i === typed.length - 1 && [...words].some((x) => x.startsWith(w))),
    );
    // The share of the typed title's words found in this ask's title, 0–1.
    return { ...ask, overlap: shared.length / typed.length };
  });
}

export type SimilarAsk = ReturnType<typeof similarAsks>[number];
