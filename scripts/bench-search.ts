// Search latency, server side: runs a few hundred realistic queries through
// the same searchAsks() the search page uses, against the benchmark database,
// and prints p50/p95/p99. Usage:
//   npm run bench:search -- [--db bench/asklog-bench.db] [--queries 400] [--seed 7]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { pick as pickWith } from "./lists";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "bench/asklog-bench.db" },
    queries: { type: "string", default: "400" },
    seed: { type: "string", default: "7" },
  },
});
if (!existsSync(values.db)) {
  console.error(`No database at ${values.db}. Build one first: npm run bench:data -- --asks 100000`);
  process.exit(1);
}
process.env.DATABASE_PATH = values.db;
const { db } = await import("../db/client");
const { searchAsks, similarAsks } = await import("../app/services/search-query.server");

let state = Number(values.seed);
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const pick = <T>(list: T[]): T => pickWith(list, random);

// Realistic queries come from the data itself: words and two-word runs from
// titles, a quoted phrase, an exclusion, a half-typed word, and a word in
// another form than the titles' (a plural made singular or the reverse), which
// the stemmed index finds.
const titles = db()
  .$client.prepare("SELECT title FROM asks ORDER BY random() LIMIT 2000")
  .all()
  .map((r) => (r as { title: string }).title);
const words = titles.flatMap((t) => t.toLowerCase().match(/[a-z]{4,}/g) ?? []);
const count = Number(values.queries);
const queries: { kind: string; q: string }[] = [];
for (let i = 0; i < count; i++) {
  const title = pick(titles)
    .toLowerCase()
    .match(/[a-z0-9]+/g) ?? ["partner"];
  const at = Math.floor(random() * Math.max(1, title.length - 1));
  const kind = pick(["one word", "two words", "two words", "phrase", "exclusion", "typing", "other form"]);
  const word = pick(words);
  const q = {
    "one word": pick(words),
    "two words": `${pick(words)} ${pick(words)}`,
    phrase: `"${title.slice(at, at + 2).join(" ")}"`,
    exclusion: `${pick(words)} -${pick(words)}`,
    typing: `${pick(words)} ${pick(words).slice(0, 3)}`,
    "other form": word.endsWith("s") ? word.slice(0, -1) : `${word}s`,
  }[kind] as string;
  queries.push({ kind, q });
}

// Names and qualifiers, drawn after the queries above so those stay the same for a given seed:
// a person's or an organization's name as plain words (with a word or alone), and org:, author:
// and team: alone and with words. Organizations and people are picked among those who wrote in asks.
const client = db().$client;
const organizationNames = client
  .prepare(`SELECT DISTINCT o.name FROM comments c JOIN users u ON u.id = c.author_id
    JOIN organizations o ON o.id = u.organization_id WHERE o.merged_into_id IS NULL LIMIT 200`)
  .all()
  .map((r) => (r as { name: string }).name);
const personNames = client
  .prepare(
    "SELECT display_name AS name FROM users WHERE id IN (SELECT author_id FROM comments ORDER BY random() LIMIT 200)",
  )
  .all()
  .map((r) => (r as { name: string }).name);
const teamNames = client
  .prepare("SELECT name FROM teams")
  .all()
  .map((r) => (r as { name: string }).name);
const quoted = (name: string) => (/\s/.test(name) ? `"${name.toLowerCase()}"` : name.toLowerCase());
for (let i = 0; i < Math.ceil(count / 2); i++) {
  const kind = pick([
    "name: organization",
    "name: person",
    "name + word",
    "org:",
    "author:",
    "team:",
    "org: + words",
    "author: + word",
    "team: + word",
  ]);
  const org = pick(organizationNames);
  const person = pick(personNames);
  const team = pick(teamNames);
  const q = {
    "name: organization": org.toLowerCase(),
    "name: person": person.toLowerCase(),
    "name + word": `${org.toLowerCase()} ${pick(words)}`,
    "org:": `org:${quoted(org)}`,
    "author:": `author:${quoted(person)}`,
    "team:": `team:${quoted(team)}`,
    "org: + words": `org:${quoted(org)} ${pick(words)} ${pick(words)}`,
    "author: + word": `author:${quoted(person)} ${pick(words)}`,
    "team: + word": `team:${quoted(team)} ${pick(words)}`,
  }[kind] as string;
  queries.push({ kind, q });
}

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1) ?? 0 };
}

for (const { q } of queries.slice(0, 30)) searchAsks({ q, page: 1, includeHidden: false }); // warm-up

const page: number[] = [];
const typing: number[] = [];
const hints: number[] = [];
const byKind = new Map<string, number[]>();
const wordsOnly: number[] = [];
const withNames: number[] = [];
for (const [i, { kind, q }] of queries.entries()) {
  const ms = time(() => searchAsks({ q, page: 1, includeHidden: false }));
  page.push(ms);
  (i < count ? wordsOnly : withNames).push(ms);
  byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  typing.push(time(() => searchAsks({ q, page: 1, limit: 8, includeHidden: false })));
  hints.push(time(() => similarAsks(q)));
}

const asks = (db().$client.prepare("SELECT count(*) AS n FROM asks").get() as { n: number }).n;
const fmt = (n: number) => n.toFixed(1).padStart(7);
console.log(`Search latency over ${queries.length} queries on ${asks.toLocaleString("en")} asks (ms, server side)`);
console.log("                         p50     p95     p99     max");
const row = (label: string, samples: number[]) => {
  const p = percentiles(samples);
  console.log(`${label.padEnd(22)}${fmt(p.p50)} ${fmt(p.p95)} ${fmt(p.p99)} ${fmt(p.max)}`);
};
row("search page", page);
row(" words", wordsOnly);
row(" names, qualifiers", withNames);
for (const [kind, samples] of byKind) row(`  ${kind}`, samples);
row("as-you-type (8)", typing);
row("duplicate hints", hints);
