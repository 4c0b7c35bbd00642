// Builds large, realistic Asklog data for benchmarks:
//
//   npm run bench:data -- --asks 100000 [--json bench/asklog-bench.json] [--out bench/asklog-bench.db]
//     [--seed 42] [--now 2026-11-22] [--force] [--json-only]
//
// It writes the data as one document in the interchange format (docs/import-format.md): people,
// asks, votes, comments, status updates and resolution links whose text is recombined from the
// demo data's partner-program vocabulary. Then it makes the database the way any Asklog gets
// history: the shared start-up migrates a fresh file and the importer loads the document.
// Everything is drawn from a seeded PRNG: the same --seed and --now give the same data.
// Every account's password is BENCH_PASSWORD; the demo sign-ins (dana@contoso.example,
// tariq@asklog.example, admin@asklog.example) exist here too. --json-only stops after the document.

import { once } from "node:events";
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import argon2 from "argon2";
import { type BuiltInStatusSlug, builtInStatusSlugs, type Role } from "../app/domain";
import { slugify } from "../app/slug";
import {
  type AskRecord,
  type CommentRecord,
  formatName,
  formatVersion,
  type ImportRole,
  type LinkRecord,
  type PersonRecord,
  type StatusUpdateRecord,
  type VoteRecord,
} from "../app/validation/import-format";
import { demoAsks, demoCategories, demoTeams, demoUsers } from "../db/demo-data";
import { at, pick as pickWith } from "./lists";

const BENCH_PASSWORD = "asklog-bench";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse("2019-01-02T00:00:00.000Z");

// Per 100,000 asks; every count scales linearly with --asks.
const PER_ASK = {
  users: 0.05,
  organizations: 0.006,
  teamMembers: 0.0025,
  admins: 0.00003,
  votes: 10,
  comments: 3,
  statusUpdates: 1.5,
  resolutionLinks: 0.2,
};
const FIRST_ASK_COMMENTS = 50;
const FIRST_ASK_UPDATES = 10;

// ---------------------------------------------------------------- command line

const { values: args } = parseArgs({
  options: {
    asks: { type: "string", default: "100000" },
    json: { type: "string", default: "bench/asklog-bench.json" },
    out: { type: "string", default: "bench/asklog-bench.db" },
    seed: { type: "string", default: "42" },
    now: { type: "string" },
    force: { type: "boolean", default: false },
    "json-only": { type: "boolean", default: false },
  },
});
const N = Number(args.asks);
const SEED = Number(args.seed);
if (!Number.isInteger(N) || N < 100) throw new Error("--asks must be an integer of at least 100");
if (!Number.isInteger(SEED)) throw new Error("--seed must be an integer");
// Dates run up to --now (default: today, 00:00 UTC) so that one day's builds are identical
// and "trending" (votes of the last 30 days) has something to rank.
const NOW = Date.parse(`${args.now ?? new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
if (Number.isNaN(NOW) || NOW < START + 365 * DAY) throw new Error("--now must be a date (YYYY-MM-DD) after 2020");
const JSON_OUT = resolve(args.json);
const OUT = resolve(args.out);
// Both files are built under another name and renamed at the end, so a failed build never leaves
// a half-written one where the benchmarks look.
const PARTIAL = OUT.replace(/(\.db)?$/, ".partial.db");

// ---------------------------------------------------------------- seeded randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One stream per phase, so changing how comments are written does not reshuffle the votes.
function stream(phase: number): () => number {
  return mulberry32(Math.imul(SEED ^ 0x9e3779b9, 2654435761) + phase * 0x85ebca6b);
}

let rng = stream(1);
const int = (n: number) => Math.floor(rng() * n);
const chance = (p: number) => rng() < p;
const pick = <T>(items: ArrayLike<T>): T => pickWith(items, rng);
const exponential = (mean: number) => -Math.log(1 - rng()) * mean;
function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
function weighted<T>(entries: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of entries) total += w;
  let x = rng() * total;
  for (const [value, w] of entries) {
    x -= w;
    if (x < 0) return value;
  }
  return at(entries, entries.length - 1)[0];
}
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [items[i], items[j]] = [at(items, j), at(items, i)];
  }
  return items;
}

const iso = (t: number) => new Date(t).toISOString();
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
// "Show the countdown" -> "show the countdown", but "CPOR claims" stays as it is.
const uncap = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

// ---------------------------------------------------------------- vocabulary

function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .filter((line) => !line.startsWith("- "))
    .flatMap((line) => line.match(/[^.!?]+[.!?]+(?=\s|$)/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s.length >= 25 && !s.endsWith(":"));
}

const OPEN = 0;
const UNDER_REVIEW = 1;
const PLANNED = 2;
const IN_PROGRESS = 3;
const COMPLETED = 4;
const DECLINED = 5;
const DUPLICATE = 6;
const statusIndex = (slug: BuiltInStatusSlug) => builtInStatusSlugs.indexOf(slug);
const isClosed = (s: number) => s >= COMPLETED;

type Vocabulary = {
  area: string;
  things: string[];
  fields: string[];
  events: string[];
  audiences: string[];
  docs: string[];
  // Sentences lifted from the demo asks of the category, recombined with the generated ones.
  demoSentences: string[];
};

const vocabulary: Record<string, Vocabulary> = {
  "Partner Center": {
    area: "partner-center",
    things: [
      "the Partner Center user list",
      "the customer list export",
      "the billing reconciliation file",
      "Partner Center notifications",
      "the customer subscriptions API",
      "the marketplace payout statement",
      "Partner Center roles",
      "the usage report",
      "MFA settings for API service accounts",
      "the support case list",
      "the invoice download page",
      "GDAP relationships",
      "the Partner Center dashboard",
      "scheduled report exports",
      "the audit log",
    ],
    fields: [
      "the last sign-in date",
      "the assigned role",
      "the customer tenant ID",
      "the transaction fee per order",
      "the billing period",
      "the local currency amount",
      "the name of the user who made the change",
      "the subscription ID",
      "the MPN location",
      "the expiry date",
    ],
    events: [
      "a user is added or removed",
      "a customer's subscription is cancelled",
      "an export finishes",
      "a payout is sent",
      "a role is changed",
      "the API returns a paging token",
      "a notification fails to deliver",
      "a new report is released",
    ],
    audiences: ["our admins", "the billing contact", "a shared mailbox", "our finance team", "every account owner"],
    docs: [
      "Partner Center roles and permissions",
      "Partner Center API authentication",
      "What's new in Partner Center",
      "Schedule report exports",
      "Manage notification preferences",
      "Reconcile your billing file",
      "Marketplace payout statement reference",
    ],
    demoSentences: [],
  },
  "Partner of Record": {
    area: "partner-of-record",
    things: [
      "CPOR claims",
      "DPOR associations",
      "Partner Admin Link (PAL) associations",
      "Proof of Execution files",
      "the CPOR approval e-mail",
      "the association report",
      "rejected Partner of Record claims",
      "attribution after a renewal",
      "the claim review queue",
      "Claiming Partner of Record requests",
    ],
    fields: [
      "the reason for the rejection",
      "the association type (DPOR, CPOR or PAL)",
      "the date the customer approved",
      "the reviewer's comment",
      "the start date of the association",
      "the Proof of Execution status",
      "the customer's workload",
      "the claim ID",
    ],
    events: [
      "a CPOR claim is rejected",
      "the customer ignores the approval e-mail",
      "another partner files a claim for the same workload",
      "a customer renews through a different agreement",
      "a claim expires after 30 days",
      "the POE is not accepted",
      "an association ends",
    ],
    audiences: ["the customer", "our claims desk", "the account manager", "the partner who filed the claim"],
    docs: [
      "About Claiming Partner of Record (CPOR)",
      "Bulk-associate Digital Partner of Record",
      "Proof of Execution requirements",
      "Partner association types explained",
      "Why a CPOR claim is rejected",
      "Link your partner ID with Partner Admin Link",
    ],
    demoSentences: [],
  },
  "Change of Channel Partner": {
    area: "change-of-channel-partner",
    things: [
      "Change of Channel Partner requests",
      "the 90-day waiting period",
      "pending CoCP requests",
      "the outgoing partner notice",
      "the CoCP approval e-mail",
      "the receiving location",
      "the customer consent page",
      "the partner transfer history",
    ],
    fields: [
      "the effective date",
      "the days remaining",
      "the date the request was approved",
      "the receiving location ID",
      "the outgoing partner's name",
      "the subscriptions that move",
      "the reason the customer gave",
    ],
    events: [
      "a customer requests a Change of Channel Partner",
      "a CoCP request is approved",
      "the 90-day period ends",
      "a customer withdraws a CoCP request",
      "a customer moves to us from another partner",
      "the outgoing partner disputes the move",
    ],
    audiences: ["the outgoing partner", "the receiving partner", "the customer", "our account managers"],
    docs: [
      "Change of Channel Partner notifications",
      "Change of Channel Partner: what to expect",
      "Early release of a Change of Channel Partner",
      "Choose the receiving location",
      "Change of Channel Partner FAQ",
    ],
    demoSentences: [],
  },
  "Incentives and rebates": {
    area: "incentives",
    things: [
      "rebate payouts",
      "incentive claims",
      "the payout statement",
      "incentive earnings on hold",
      "next year's incentive rates",
      "claim deadlines",
      "co-op funds",
      "the incentives workspace",
      "rebate adjustments",
      "the earnings report",
    ],
    fields: [
      "the customer and product for each line",
      "the rate applied",
      "the reason for each hold",
      "the claim deadline",
      "the billing period",
      "the expected payment date",
      "the purchase order number",
      "the amount in local currency",
    ],
    events: [
      "a payout is put on hold",
      "a claim deadline is two weeks away",
      "an incentive claim is rejected",
      "the rates for the next fiscal year are published",
      "a rebate is clawed back",
      "a claim is submitted with a typo",
    ],
    audiences: ["our finance team", "the incentives contact", "the partner admin", "our controller"],
    docs: [
      "Read your incentives payout statement",
      "Partner incentives program guide",
      "Incentive claim deadlines",
      "Why incentive earnings are on hold",
      "Rebate adjustments and clawbacks",
    ],
    demoSentences: [],
  },
  "Programs and benefits": {
    area: "programs-and-benefits",
    things: [
      "benefit licenses",
      "the benefits dashboard",
      "solutions designations",
      "the capability score",
      "co-sell referrals",
      "certified contractors",
      "skilling metrics",
      "specialization audits",
      "internal use rights",
      "the referral acceptance window",
    ],
    fields: [
      "the date each benefit expires",
      "the missing points per metric",
      "the seller who accepted the referral",
      "the certifications that count",
      "the audit checklist",
      "the number of seats left",
      "the renewal date",
    ],
    events: [
      "a certified person leaves",
      "a designation is about to lapse",
      "a referral is accepted by a seller",
      "benefit licenses are about to expire",
      "a company merger moves us to a new tenant",
      "the skilling score drops below the threshold",
    ],
    audiences: ["the program owner", "our alliance manager", "the partner admin", "every benefit administrator"],
    docs: [
      "Track your partner benefits",
      "Understand your capability score",
      "Manage co-sell referrals",
      "Referral roles and permissions",
      "Solutions designations overview",
      "Move benefits to a new tenant",
    ],
    demoSentences: [],
  },
  "Documentation and training": {
    area: "training",
    things: [
      "the partner program guide",
      "program update webinar recordings",
      "the partner onboarding course",
      "the Partner Center changelog",
      "the certification map",
      "learning paths for presales staff",
      "the API samples",
      "the CPOR guidance",
      "the rebate program FAQ",
    ],
    fields: [
      "a transcript and chapters",
      "a dated PDF for each release",
      "Spanish, French and German versions",
      "the date each page was last reviewed",
      "a feed of changes",
      "code samples in C# and Python",
      "a glossary of program terms",
    ],
    events: [
      "a policy changes",
      "a certification is retired",
      "a new program year starts",
      "a page is renamed or moved",
      "a webinar recording is published",
    ],
    audiences: ["new partner staff", "our delivery team", "our legal team", "trainers"],
    docs: [
      "Certifications by designation",
      "What's new in Partner Center",
      "Partner program guide",
      "Partner onboarding course",
      "Program update webinars",
      "Partner Center API samples",
    ],
    demoSentences: [],
  },
};
const generalVocabulary: Vocabulary = {
  area: "partner-program",
  things: Object.values(vocabulary).flatMap((v) => v.things.slice(0, 3)),
  fields: Object.values(vocabulary).flatMap((v) => v.fields.slice(0, 2)),
  events: Object.values(vocabulary).flatMap((v) => v.events.slice(0, 2)),
  audiences: ["our team", "the partner admin", "the customer", "our account managers"],
  docs: ["Partner program guide", "Partner support options", "Partner Center FAQ"],
  demoSentences: [],
};
vocabulary.General = generalVocabulary;
for (const ask of demoAsks) vocabulary[ask.category]?.demoSentences.push(...sentencesOf(ask.body));
generalVocabulary.demoSentences = Object.values(vocabulary).flatMap((v) => v.demoSentences.slice(0, 6));

const demoCommentSentences = demoAsks.flatMap((a) =>
  a.comments.map((c) => c.body).filter((b) => !b.startsWith("@") && b.length >= 25 && b.length <= 160),
);
const demoNotes = new Map<number, string[]>();
for (const ask of demoAsks) {
  for (const u of ask.statusUpdates) {
    if (u.team === "Assignment Team" || u.status === "duplicate") continue;
    const s = statusIndex(u.status);
    demoNotes.set(s, [...(demoNotes.get(s) ?? []), u.note]);
  }
}

const numbers = ["12", "25", "40", "60", "140", "300", "412", "1,000", "two dozen", "hundreds of"];
const durations = ["a full day", "two hours", "half a day", "a week", "three days", "most of a morning"];
const periods = ["month", "quarter", "week", "fiscal year", "billing cycle", "payout"];
const workarounds = [
  "combine three exports by hand",
  "open a support case to find out",
  "keep a spreadsheet next to Partner Center",
  "ask the customer to forward the e-mail",
  "check the page by hand every morning",
  "copy the numbers into our own CRM",
  "merge PDFs before uploading",
  "translate the material ourselves",
  "send the customer our own explanation",
  "wait for the account manager to reply",
];
const consequences = [
  "we only find out from the customer",
  "nobody on our side is notified",
  "we have to open a support case to learn why",
  "the customer calls us to ask whether something is wrong",
  "our finance team has to reconcile it by hand",
  "the deadline sometimes passes before we notice",
  "we lose the attribution for the whole period",
  "two people spend a day on it every month",
];
const limitations = [
  "only shows a single total",
  "can only be exported one page at a time",
  "does not say when it was last changed",
  "is not available through the API",
  "is only visible to the global admin",
  "disappears after 90 days",
  "uses a different customer ID than the invoice",
  "is only available in English",
  "gives no reason at all",
  "cannot be filtered by customer",
];
const formats = [
  "CSV export",
  "column in the export",
  "short reason code",
  "weekly e-mail",
  "single report",
  "API field",
];
const languages = ["Spanish", "French", "German", "Portuguese", "Japanese", "Italian"];
const whens = [
  "next half",
  "the next program year",
  "the January release",
  "the second half of the fiscal year",
  "next quarter",
  "the spring release",
];

const maybeBold = (s: string) => (chance(0.07) ? `**${s}**` : s);

// What one ask is about: its title, body, comments and notes keep coming back to these.
type Ctx = { v: Vocabulary; title: string; thing: string; field: string; event: string; audience: string };

function focusOn(v: Vocabulary, title = ""): Ctx {
  return { v, title, thing: pick(v.things), field: pick(v.fields), event: pick(v.events), audience: pick(v.audiences) };
}
const thing = (c: Ctx) => (chance(0.6) ? c.thing : pick(c.v.things));
const field = (c: Ctx) => (chance(0.6) ? c.field : pick(c.v.fields));
const event = (c: Ctx) => (chance(0.6) ? c.event : pick(c.v.events));
const audience = (c: Ctx) => (chance(0.6) ? c.audience : pick(c.v.audiences));

const problemSentences: ((c: Ctx) => string)[] = [
  (c) => `Today ${thing(c)} ${pick(limitations)}.`,
  (c) => `When ${event(c)}, ${pick(consequences)}.`,
  (c) => `We manage ${pick(numbers)} customers and have to ${pick(workarounds)} for ${thing(c)}.`,
  () => `Every ${pick(periods)} we ${pick(workarounds)}, which takes ${pick(durations)}.`,
  (c) => `${cap(thing(c))} ${pick(limitations)}, so ${pick(consequences)}.`,
  (c) => `There is no way to see ${maybeBold(field(c))} without opening each record.`,
  (c) => `${cap(audience(c))} cannot tell what happened when ${event(c)}.`,
  (c) => `The only place that shows ${field(c)} is ${thing(c)}, and it ${pick(limitations)}.`,
];
const impactSentences: ((c: Ctx) => string)[] = [
  () => `This affects ${pick(numbers)} of our customers every ${pick(periods)}.`,
  () =>
    `Last ${pick(["quarter", "month", "year"])} it cost us ${pick(["two claims", "a full payout", "a renewal", "three weeks of attribution"])}.`,
  () => `Other vendors already ${pick(["do this", "send a reminder", "publish the reason", "offer an export"])}.`,
  (c) =>
    `Our ${pick(["finance", "sales", "support", "delivery", "legal"])} team asks about ${thing(c)} ${pick(["every week", "at every review", "in every audit", "at month end"])}.`,
  () => `It would save us ${pick(durations)} every ${pick(periods)}.`,
];
const requestSentences: ((c: Ctx) => string)[] = [
  (c) => `Please add ${maybeBold(field(c))} to ${thing(c)}.`,
  (c) => `Please send ${audience(c)} an e-mail when ${event(c)}.`,
  (c) => `Please make ${thing(c)} available through the Partner Center API.`,
  (c) => `A ${pick(formats)} with ${field(c)} and ${pick(c.v.fields)} would be enough.`,
  (c) => `Ideally ${audience(c)} would also see ${field(c)}.`,
  (c) => `In short: ${uncap(c.title)}.`,
  (c) => `Even a ${pick(formats)} listing ${thing(c)} would help.`,
];
const listItems: ((c: Ctx) => string)[] = [
  (c) => `show ${field(c)}`,
  (c) => `include ${pick(c.v.fields)}`,
  (c) => `work for ${thing(c)} in bulk`,
  () => "be available in the API as well as in the UI",
  () => "keep the history for at least two years",
  (c) => `notify ${audience(c)} when something changes`,
  () => `be exportable as ${pick(["CSV", "Excel", "JSON"])}`,
];

const titleTemplates: ((c: Ctx) => string)[] = [
  (c) => `Show ${c.field} on ${c.thing}`,
  (c) => `Export ${c.thing} with ${c.field}`,
  (c) => `Let partners update ${c.thing} in bulk`,
  (c) => `Notify ${c.audience} when ${c.event}`,
  (c) => `Explain ${c.thing} on a customer-facing page`,
  (c) => `Filter ${c.thing} by ${c.field.replace(/^the /, "")}`,
  (c) => `Add ${c.field} to ${c.thing}`,
  (c) => `Keep ${c.thing} when ${c.event}`,
  (c) => `Remind ${c.audience} before a deadline on ${c.thing}`,
  (c) => `One report that lists ${c.thing} with ${c.field}`,
  (c) => `Publish ${c.thing} at least 30 days in advance`,
  (c) => `Translate ${c.thing} into ${pick(languages)} and ${pick(languages)}`,
  (c) => `API access to ${c.thing}`,
  (c) => `Schedule exports of ${c.thing} to a storage account`,
  (c) => `Explain what happens when ${c.event}`,
  (c) => `Warn ${c.audience} when ${c.event}`,
  (c) => `Faster review of ${c.thing}`,
  (c) => `Let ${c.audience} see ${c.field}`,
  (c) => `Make ${c.field} visible on ${c.thing}`,
  (c) => `Allow ${c.audience} to manage ${c.thing}`,
  (c) => `Clearer rules for ${c.thing}`,
  (c) => `Track ${c.field} for ${c.thing}`,
  (c) => `Bulk actions for ${c.thing}`,
  (c) => `A history of changes to ${c.thing}`,
  (c) => `Ask ${c.audience} before changing ${c.thing}`,
  (c) => `A self-service fix when ${c.event}`,
  (c) => `An audit trail when ${c.event}`,
  (c) => `One page for ${c.thing} and ${pick(c.v.things)}`,
  (c) => `${cap(c.thing)} should include ${c.field}`,
  (c) => `Download ${c.thing} as ${pick(["CSV", "Excel", "PDF"])}`,
];
const titleQualifiers = [
  " for indirect resellers",
  " for direct-bill partners",
  " in Partner Center",
  " through the API",
  " for multi-tenant partners",
  " for partners in the EU",
  " for small partners",
  " for CSP partners",
  " across all locations",
  " without a support case",
  " for partners in Latin America",
  " for managed service providers",
  " for partners in Asia Pacific",
  " for distributors",
  " for new partners",
];

// Picks the ask's focus and a title built on it, between 30 and 110 characters.
function planAsk(v: Vocabulary): Ctx {
  for (;;) {
    const c = focusOn(v);
    c.title = cap(pick(titleTemplates)(c)) + (chance(0.55) ? pick(titleQualifiers) : "");
    if (c.title.length >= 30 && c.title.length <= 110) return c;
  }
}

function clampText(paragraphs: string[], min: number, max: number, filler: () => string): string {
  let text = paragraphs.join("\n\n");
  for (let tries = 0; text.length < min; tries++) {
    const next = filler();
    // A sentence said twice in a row reads like a bug; give up on avoiding it only if the pool is tiny.
    if (!text.includes(next) || tries > 20) text = `${text} ${next}`;
  }
  if (text.length <= max) return text;
  // Cut at the last sentence end that fits; a list item or a long first sentence may need a hard cut.
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"));
  if (end >= min) return cut.slice(0, end + 1);
  return `${cut.slice(0, max - 1).trimEnd()}…`;
}

function makeBody(c: Ctx): string {
  const { v } = c;
  // Most asks are a paragraph or two; a long tail are small specifications.
  const target = Math.min(1500, Math.max(200, Math.round(Math.exp(6.3 + 0.55 * normal()))));
  const sentence = (pool: ((c: Ctx) => string)[], demoShare: number) =>
    v.demoSentences.length > 0 && chance(demoShare) ? pick(v.demoSentences) : pick(pool)(c);
  const paragraphs: string[] = [];
  let first = [sentence(problemSentences, 0.3), sentence(problemSentences, 0.2)];
  if (chance(0.5)) first = [...first, sentence(impactSentences, 0.2)];
  paragraphs.push(first.join(" "));
  let length = first.join(" ").length;
  while (length < target) {
    const kind = int(10);
    let p: string;
    if (kind < 2 && !paragraphs.some((x) => x.startsWith("- "))) {
      const lead = pick(["It should:", "What we need:", "At a minimum it should:", "**What we need**"]);
      paragraphs.push(lead);
      const items = Array.from({ length: 2 + int(4) }, () => `- ${pick(listItems)(c)}`);
      p = [...new Set(items)].join("\n");
    } else if (kind < 5) {
      p = [sentence(impactSentences, 0.2), sentence(problemSentences, 0.3)].join(" ");
    } else if (kind < 8) {
      p = [sentence(problemSentences, 0.3), sentence(requestSentences, 0.1)].join(" ");
    } else {
      p = sentence(requestSentences, 0.1);
    }
    paragraphs.push(p);
    length += p.length + 2;
  }
  if (!paragraphs.at(-1)?.startsWith("Please")) paragraphs.push(pick(requestSentences)(c));
  return clampText(paragraphs, 200, 1500, () => pick(requestSentences)(c));
}

// Demo texts are kept verbatim, topped up where they are shorter than the generated ones may be.
function padded(text: string, min: number, filler: () => string): string {
  return text.length >= min ? text : clampText([text], min, Number.POSITIVE_INFINITY, filler);
}

const teamOpeners: ((c: Ctx, mention: string | null) => string)[] = [
  (_, m) => `${m ? `@${m} thanks` : "Thanks"} for the detail.`,
  (_, m) => `${m ? `@${m} good` : "Good"} question.`,
  () => "Thanks, everyone, for the examples.",
  (c, m) =>
    `${m ? `@${m} ` : ""}${pick(["we have shared this with the owners of", "this is now tracked together with", "we are looking at"])} ${thing(c)}.`,
];
const teamSentences: ((c: Ctx) => string)[] = [
  (c) => `The team will post an update here once the case where ${event(c)} is covered in testing.`,
  () =>
    `Please add the ${pick(["claim IDs", "tenant IDs", "case numbers", "dates"])} of recent examples so we can trace them.`,
  () => `The workaround for now is to ${pick(workarounds)}.`,
  (c) => `${cap(field(c))} will be part of the first release.`,
  (c) => `${pick(c.v.docs)} describes the current behavior in detail.`,
  () => "We read every comment here, even when we do not answer each one.",
];
const partnerSentences: ((c: Ctx, ageDays: number) => string)[] = [
  () => pick(demoCommentSentences),
  (c) => `+1. ${pick(problemSentences)(c)}`,
  () => `Same here: every ${pick(periods)} we ${pick(workarounds)}.`,
  (c) => `Please include ${field(c)} as well.`,
  (c, ageDays) =>
    ageDays > 60
      ? `Any update on this? It has been ${Math.round(ageDays / 30)} months.`
      : `${cap(audience(c))} asks us about this ${pick(["every week", "all the time", "at every renewal"])}.`,
  (c) => `Agree, but ${audience(c)} should ${pick(["be asked first", "get a copy", "be able to opt out"])}.`,
  (c) => pick(impactSentences)(c),
  () =>
    `${pick(["Great news", "Thank you", "Nice", "Finally"])}, ${pick(["this will save us a lot of time", "we will try it this week", "bookmarked", "that solves most of it for us"])}.`,
];

function makeComment(c: Ctx, isTeam: boolean, mention: string | null, ageDays: number): string {
  const parts: string[] = [];
  let filler: () => string;
  if (isTeam) {
    parts.push(pick(teamOpeners)(c, mention), pick(teamSentences)(c));
    filler = () => pick(teamSentences)(c);
  } else {
    if (mention && chance(0.5))
      parts.push(`@${mention} ${pick(["agreed.", "same for us.", "good point.", "thanks!"])}`);
    filler = () => pick(partnerSentences)(c, ageDays);
    const n = 1 + int(2);
    for (let i = 0; i < n; i++) {
      const next = filler();
      if (!parts.includes(next)) parts.push(next);
    }
  }
  const length = Math.min(600, Math.max(40, Math.round(Math.exp(5.2 + 0.6 * normal()))));
  return clampText([parts.join(" ")], length, 600, filler);
}

type NoteInput = {
  c: Ctx;
  from: number;
  to: number;
  assignedTeam: string;
  byAssignmentTeam: boolean;
  duplicateOfTitle: string | null;
};

// A program team's dated note, 60 to 400 characters.
function makeNote({ c, from, to, assignedTeam, byAssignmentTeam, duplicateOfTitle }: NoteInput): string {
  const feature = uncap(c.title);
  const demo = (status: number) => {
    const notes = demoNotes.get(status);
    return notes && chance(0.1) ? pick(notes) : undefined;
  };
  let text: string;
  if (to === DUPLICATE) {
    text = `Closed as a duplicate of **${duplicateOfTitle ?? "an earlier ask"}**. Please add your vote and comments there so they are counted together.`;
  } else if (byAssignmentTeam) {
    text = `${pick(["Assigned to the", "Routed to the", "Assigned to"])} **${assignedTeam}**${pick([
      " for triage.",
      ".",
      `; they own ${thing(c)}.`,
      ` for triage. They will check whether *${pick(c.v.docs)}* already covers this.`,
    ])}`;
  } else if (from === to) {
    text = pick([
      `Still ${at(builtInStatusSlugs, to).replace("-", " ")}. We are checking ${pick(numbers)} recent cases with the owners of ${thing(c)}.`,
      `An update: ${field(c)} turned out to need changes in ${thing(c)} as well, which moves the date to ${pick(whens)}.`,
      `The first part is done: ${field(c)} is now recorded for new items. The rest follows in ${pick(whens)}.`,
      `Thanks for the examples in the comments; they helped us reproduce the problem with ${thing(c)}.`,
      `A preview is open to ${pick(numbers)} partners. Ask your account manager if you want to join.`,
    ]);
  } else if (to === UNDER_REVIEW) {
    text = `Under review by the **${assignedTeam}**. ${pick(["We are sizing the change.", "We will share what we find here.", `We are checking how often ${event(c)}.`])}`;
  } else if (to === PLANNED) {
    text =
      demo(PLANNED) ??
      `Planned for ${pick(whens)}: ${feature}. ${pick(["", `It will cover ${field(c)} first.`, "Dates may move; we will post any change here."])}`;
  } else if (to === IN_PROGRESS) {
    text =
      demo(IN_PROGRESS) ??
      `In progress. ${pick([`${cap(field(c))} is built and in testing with a few partners.`, `Work has started; the first release covers ${thing(c)}.`, "The change is in preview for partners who opted in through their account manager."])}`;
  } else if (to === COMPLETED) {
    text =
      demo(COMPLETED) ??
      `Completed: ${feature}. ${pick(["See the linked page for the details.", `${cap(field(c))} is now shown for every partner.`, "Thanks to everyone who voted and tested the preview."])}`;
  } else {
    text =
      demo(DECLINED) ??
      `Declined. ${pick([`${cap(thing(c))} cannot change without the customer's consent.`, "This conflicts with the program's compliance rules.", "The cost is out of proportion with the benefit for most partners."])} ${pick(["Instead, the guidance now explains the workaround.", `As an alternative, ${field(c)} is now in the monthly report.`, "We will revisit this next program year."])}`;
  }
  text = text.trim();
  while (text.length < 60) text = `${text} We will post any change here.`;
  return text.length <= 400 ? text : clampText([text], 60, 400, () => "");
}

// ---------------------------------------------------------------- people

const firstNames = [
  "Aisha",
  "Akira",
  "Alejandro",
  "Amara",
  "Anders",
  "Ana",
  "Arjun",
  "Astrid",
  "Ben",
  "Bianca",
  "Bogdan",
  "Carla",
  "Chloe",
  "Chidi",
  "Daniel",
  "Deepa",
  "Diego",
  "Elena",
  "Emeka",
  "Emma",
  "Erik",
  "Fatima",
  "Femi",
  "Freya",
  "Gabriel",
  "Hana",
  "Hugo",
  "Ines",
  "Isaac",
  "Jana",
  "Javier",
  "Jonas",
  "Julia",
  "Kai",
  "Karin",
  "Kenji",
  "Keisha",
  "Lars",
  "Leila",
  "Liam",
  "Lucia",
  "Malik",
  "Maja",
  "Marta",
  "Mei",
  "Mikael",
  "Mira",
  "Nadia",
  "Naveen",
  "Noah",
  "Olga",
  "Olivia",
  "Pablo",
  "Paulo",
  "Petra",
  "Rafael",
  "Rania",
  "Ravi",
  "Rina",
  "Ruth",
  "Samir",
  "Sara",
  "Sean",
  "Sofia",
  "Stefan",
  "Sunita",
  "Tobias",
  "Tomas",
  "Uma",
  "Valentina",
  "Victor",
  "Wen",
  "Yusuf",
  "Yuki",
  "Zainab",
  "Zara",
  "Adrian",
  "Beatrix",
  "Cyrus",
  "Dalia",
  "Eitan",
  "Farah",
  "Goran",
  "Helga",
  "Ibrahim",
  "Jia",
  "Kwame",
  "Lina",
];
const lastNames = [
  "Abara",
  "Andersen",
  "Bauer",
  "Becker",
  "Bianchi",
  "Brown",
  "Castillo",
  "Chen",
  "Costa",
  "Dubois",
  "Eriksson",
  "Fernandez",
  "Fischer",
  "Garcia",
  "Gupta",
  "Haddad",
  "Hansen",
  "Hoffmann",
  "Ibrahim",
  "Ito",
  "Jansen",
  "Jovanovic",
  "Kaur",
  "Kim",
  "Kowalczyk",
  "Larsen",
  "Lee",
  "Lopez",
  "Martin",
  "Meyer",
  "Moreno",
  "Mueller",
  "Nakamura",
  "Nguyen",
  "Novak",
  "Okafor",
  "Olsen",
  "Patel",
  "Pereira",
  "Petrov",
  "Popescu",
  "Quinn",
  "Rahman",
  "Rossi",
  "Santos",
  "Sato",
  "Schmidt",
  "Silva",
  "Singh",
  "Sorensen",
  "Suzuki",
  "Tanaka",
  "Torres",
  "Van Dijk",
  "Varga",
  "Wagner",
  "Walsh",
  "Wang",
  "Weber",
  "Williams",
  "Yilmaz",
  "Zhang",
  "Adeyemi",
  "Bergstrom",
  "Campbell",
  "Dlamini",
  "Esposito",
  "Farouk",
];
const orgWords = [
  "Alpine",
  "Amberline",
  "Apex",
  "Arcadia",
  "Aurora",
  "Azure Peak",
  "Baltic",
  "Bluewater",
  "Boreal",
  "Brightpath",
  "Cascade",
  "Cedar",
  "Cirrus",
  "Cobalt",
  "Copperleaf",
  "Crestview",
  "Delta",
  "Driftwood",
  "Eastgate",
  "Ember",
  "Evergreen",
  "Fjord",
  "Foxglove",
  "Glacier",
  "Granite",
  "Harbor",
  "Highland",
  "Horizon",
  "Ironwood",
  "Juniper",
  "Keystone",
  "Lakeshore",
  "Lighthouse",
  "Lumen",
  "Maple",
  "Meridian",
  "Millstone",
  "Monarch",
  "Nimbus",
  "Northstar",
  "Oakridge",
  "Orchid",
  "Pacific",
  "Pinnacle",
  "Polaris",
  "Prairie",
  "Quarry",
  "Redwood",
  "Ridgeline",
  "Riverbend",
  "Sapphire",
  "Sequoia",
  "Silverline",
  "Skyward",
  "Solstice",
  "Summit",
  "Tidewater",
  "Timberline",
  "Trident",
  "Upland",
  "Vantage",
  "Verdant",
  "Westbrook",
  "Willow",
  "Windmill",
  "Zenith",
  "Bramble",
  "Saltmarsh",
  "Kestrel",
];
const orgKinds = [
  "Consulting",
  "Cloud Services",
  "IT Solutions",
  "Systems",
  "Digital",
  "Technologies",
  "Partners",
  "Group",
  "Networks",
  "Data",
  "Software",
  "Integration",
  "Managed Services",
  "Solutions",
  "Labs",
  "Advisory",
  "Computing",
];
const orgRegions = ["Nordics", "Iberia", "Benelux", "APAC", "LATAM", "UK", "DACH", "Canada", "India", "Africa"];

// ---------------------------------------------------------------- build

function log(message: string): void {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${t}s] ${message}`);
}

const started = performance.now();

if (!args["json-only"] && existsSync(OUT) && !args.force) {
  console.error(`${OUT} already exists; pass --force to replace it.`);
  process.exit(1);
}

const scale = N / 100_000;
const target = {
  users: Math.max(60, Math.round(PER_ASK.users * N)),
  organizations: Math.max(12, Math.round(PER_ASK.organizations * N)),
  teamMembers: Math.max(8, Math.round(PER_ASK.teamMembers * N)),
  admins: Math.max(1, Math.round(PER_ASK.admins * N)),
  votes: Math.round(PER_ASK.votes * N),
  comments: Math.round(PER_ASK.comments * N),
  statusUpdates: Math.round(PER_ASK.statusUpdates * N),
  resolutionLinks: Math.round(PER_ASK.resolutionLinks * N),
};
log(`Writing ${JSON_OUT}: ${N.toLocaleString("en")} asks (scale ${scale}), seed ${SEED}, now ${iso(NOW).slice(0, 10)}`);

const teamNames = [...demoTeams];
// "General" comes with every Asklog (migration 0001); the demo categories follow it.
const categoryNames = ["General", ...demoCategories.filter((name) => name !== "General")];

const formatRole: Record<Role, ImportRole> = { member: "partner", team: "team", admin: "admin" };
// People are numbered from 1 in the order they are made; their ref in the file is p<number>.
const personRef = (id: number) => `p${id}`;
type User = { id: number; firstName: string; role: Role };
const usersById: User[] = [];
const people: PersonRecord[] = [];
const partners: number[] = [];
const teamMembers = new Map<string, number[]>(teamNames.map((name) => [name, []]));
const demoUserIds = new Map<string, number>();
const demoUser = (key: string): number => {
  const id = demoUserIds.get(key);
  if (id === undefined) throw new Error(`The demo data has no person "${key}"`);
  return id;
};

{
  rng = stream(2);
  const orgNames: string[] = [];
  const seenOrgs = new Set<string>();
  for (const u of demoUsers) {
    if (u.organization && !seenOrgs.has(u.organization)) {
      seenOrgs.add(u.organization);
      orgNames.push(u.organization);
    }
  }
  while (orgNames.length < target.organizations) {
    let name = `${pick(orgWords)} ${pick(orgKinds)}`;
    if (seenOrgs.has(name)) name = `${name} ${pick(orgRegions)}`;
    if (seenOrgs.has(name)) name = `${name} ${orgNames.length}`;
    seenOrgs.add(name);
    orgNames.push(name);
  }
  const orgDomain = (name: string) => `${slugify(name).replace(/-/g, "")}.example`;

  const emails = new Set<string>();
  const addUser = (email: string, name: string, role: Role, org: string | null, team: string | null): number => {
    let unique = email;
    for (let n = 2; emails.has(unique); n++) unique = email.replace("@", `${n}@`);
    emails.add(unique);
    const id = usersById.length + 1;
    people.push({
      ref: personRef(id),
      name,
      email: unique,
      role: formatRole[role],
      ...(org ? { organization: org } : {}),
      ...(team ? { team } : {}),
    });
    usersById.push({ id, firstName: at(name.split(" "), 0), role });
    if (role === "member") partners.push(id);
    if (role === "team" && team) teamMembers.get(team)?.push(id);
    return id;
  };
  for (const u of demoUsers) {
    demoUserIds.set(u.key, addUser(u.email, u.displayName, u.role, u.organization ?? null, u.team ?? null));
  }
  const counts = { member: 0, team: 0, admin: 0 };
  for (const u of usersById) counts[u.role]++;
  const personName = () => `${pick(firstNames)} ${pick(lastNames)}`;
  const localPart = (name: string) => slugify(name).replace(/-/g, ".");

  // A few big partners with many people, a long tail of small ones; every organization has someone.
  const orgCumulative = new Float64Array(orgNames.length);
  let orgTotal = 0;
  for (let i = 0; i < orgNames.length; i++) {
    orgTotal += 1 / (i + 1) ** 0.7;
    orgCumulative[i] = orgTotal;
  }
  const partnerCount = target.users - target.teamMembers - target.admins;
  for (let i = 0; counts.member < partnerCount; i++) {
    let org: string;
    if (i < orgNames.length) org = at(orgNames, i);
    else {
      const x = rng() * orgTotal;
      let lo = 0;
      let hi = orgCumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (at(orgCumulative, mid) < x) lo = mid + 1;
        else hi = mid;
      }
      org = at(orgNames, lo);
    }
    const name = personName();
    addUser(`${localPart(name)}@${orgDomain(org)}`, name, "member", org, null);
    counts.member++;
  }
  const teamShares: [string, number][] = [
    ["Assignment Team", 0.15],
    ["EPX", 0.3],
    ["Program team", 0.35],
    ["Partner Support Team", 0.2],
  ];
  for (; counts.team < target.teamMembers; counts.team++) {
    const name = personName();
    addUser(`${localPart(name)}@asklog.example`, name, "team", null, weighted(teamShares));
  }
  for (; counts.admin < target.admins; counts.admin++) {
    const name = personName();
    addUser(`${localPart(name)}.admin@asklog.example`, name, "admin", null, null);
  }
  for (const [team, members] of teamMembers) if (members.length === 0) throw new Error(`No member in ${team}`);
}
const ownerTeamsByCategory: Record<string, [string, number][]> & { General: [string, number][] } = {
  "Partner Center": [
    ["EPX", 5],
    ["Partner Support Team", 3],
    ["Program team", 2],
  ],
  "Partner of Record": [
    ["Program team", 4],
    ["EPX", 3],
    ["Partner Support Team", 3],
  ],
  "Change of Channel Partner": [
    ["EPX", 5],
    ["Partner Support Team", 3],
    ["Program team", 2],
  ],
  "Incentives and rebates": [
    ["Program team", 7],
    ["Partner Support Team", 3],
  ],
  "Programs and benefits": [
    ["Program team", 8],
    ["EPX", 2],
  ],
  "Documentation and training": [
    ["Program team", 5],
    ["EPX", 3],
    ["Partner Support Team", 2],
  ],
  General: [
    ["EPX", 1],
    ["Program team", 1],
    ["Partner Support Team", 1],
  ],
};
// Partners differ in how active they are; a lottery table draws the busy ones more often.
rng = stream(3);
const lottery: number[] = [];
for (const id of partners) {
  const copies = Math.min(40, 1 + Math.floor(Math.exp(normal()) * 2));
  for (let i = 0; i < copies; i++) lottery.push(id);
}
const activePartner = () => pick(lottery);
const teamMember = (team: string) => pick(teamMembers.get(team) ?? []);

// ---------------------------------------------------------------- plan the asks

rng = stream(4);
const created = new Float64Array(N + 1);
{
  // More asks every year: creation times are denser towards now.
  const times = Array.from({ length: N }, () => START + (NOW - HOUR - START) * rng() ** 0.8);
  times.sort((a, b) => a - b);
  for (let i = 1; i <= N; i++) created[i] = Math.floor(at(times, i - 1));
}

// Demo asks appear verbatim at evenly spaced numbers; ask 1 is the CPOR page from the design brief.
const demoAt = new Map<number, number>();
demoAsks.forEach((_, k) => {
  demoAt.set(1 + Math.floor((k * N) / demoAsks.length), k);
});

const titles: string[] = new Array(N + 1);
const focus: Ctx[] = new Array(N + 1);
const author = new Int32Array(N + 1);
const category = new Uint8Array(N + 1);
const finalStatus = new Uint8Array(N + 1);
const ownerTeam: string[] = new Array(N + 1);
const duplicateOf = new Int32Array(N + 1);
const paths: number[][] = new Array(N + 1);
const asksByCategory: number[][] = categoryNames.map(() => []);
const categoryWeights: [number, number][] = categoryNames.map((name, i) => [
  i,
  name === "General" ? 0.4 : name === "Partner Center" ? 2.2 : name === "Partner of Record" ? 1.6 : 1,
]);

// The chance of each status for an ask of an age, as weights in the order OPEN … DUPLICATE,
// for ages below the given number of days. A status weighing 0 is never drawn.
const statusWeightsByAge: [number, number[]][] = [
  [14, [75, 20, 0, 0, 0, 0, 5]],
  [60, [50, 30, 8, 0, 0, 5, 7]],
  [365, [30, 20, 17, 8, 12, 8, 5]],
  [Number.POSITIVE_INFINITY, [22, 12, 12, 7, 27, 13, 7]],
];

function statusForAge(days: number): number {
  const [, weights] =
    statusWeightsByAge.find(([below]) => days < below) ?? at(statusWeightsByAge, statusWeightsByAge.length - 1);
  return weighted(weights.map((weight, status) => [status, weight] as const));
}

// The statuses an ask went through, not counting "open" where every ask starts.
function basePath(s: number): number[] {
  switch (s) {
    case OPEN:
      return [];
    case UNDER_REVIEW:
      return [UNDER_REVIEW];
    case PLANNED:
      return [UNDER_REVIEW, PLANNED];
    case IN_PROGRESS:
      return [UNDER_REVIEW, PLANNED, IN_PROGRESS];
    case COMPLETED:
      return [UNDER_REVIEW, ...(chance(0.4) ? [PLANNED] : []), ...(chance(0.3) ? [IN_PROGRESS] : []), COMPLETED];
    case DECLINED:
      return [UNDER_REVIEW, DECLINED];
    default:
      return chance(0.7) ? [DUPLICATE] : [UNDER_REVIEW, DUPLICATE];
  }
}

for (let id = 1; id <= N; id++) {
  const demo = demoAt.get(id);
  const demoAsk = demo === undefined ? undefined : demoAsks[demo];
  const cat = demoAsk ? categoryNames.indexOf(demoAsk.category) : weighted(categoryWeights);
  category[id] = cat;
  const v = vocabulary[at(categoryNames, cat)] ?? generalVocabulary;
  const planned = demoAsk ? focusOn(v, demoAsk.title) : planAsk(v);
  focus[id] = planned;
  titles[id] = planned.title;
  author[id] = id === 1 ? demoUser("dana") : chance(0.04) ? pick(usersById).id : activePartner();
  ownerTeam[id] = weighted(ownerTeamsByCategory[at(categoryNames, cat)] ?? ownerTeamsByCategory.General);
  let s = demoAsk
    ? statusIndex(demoAsk.statusUpdates.at(-1)?.status ?? "open")
    : statusForAge((NOW - at(created, id)) / DAY);
  const earlier = at(asksByCategory, cat);
  if (s === DUPLICATE) {
    if (earlier.length === 0) s = DECLINED;
    else duplicateOf[id] = pick(earlier);
  }
  finalStatus[id] = s;
  paths[id] = basePath(s);
  earlier.push(id);
}
finalStatus[1] = COMPLETED;
ownerTeam[1] = "Partner Support Team";
// The benchmark's "ask page": a long, complete history. Steps 0, 2 and the last carry the demo notes.
paths[1] = [
  UNDER_REVIEW,
  UNDER_REVIEW,
  PLANNED,
  PLANNED,
  ...Array<number>(FIRST_ASK_UPDATES - 5).fill(IN_PROGRESS),
  COMPLETED,
];

// Status updates: the base paths, then follow-up notes (same status again) until the total is exact.
{
  let total = 0;
  for (let id = 1; id <= N; id++) total += at(paths, id).length;
  const candidates: number[] = [];
  for (let id = 2; id <= N; id++) if (at(paths, id).length > 0) candidates.push(id);
  shuffle(candidates);
  // Too many (only possible for tiny builds): leave some asks untouched and open.
  while (total > target.statusUpdates) {
    const id = candidates.pop();
    if (id === undefined) break;
    total -= at(paths, id).length;
    paths[id] = [];
    finalStatus[id] = OPEN;
    duplicateOf[id] = 0;
  }
  const followable = candidates.filter((id) => at(paths, id).some((s) => s >= UNDER_REVIEW && s <= IN_PROGRESS));
  const followWeight = [0, 1, 2, 3, 1.5, 0.5, 0];
  const lotteryOfAsks: number[] = [];
  for (const id of followable) {
    const copies = Math.round(2 * at(followWeight, at(finalStatus, id)));
    for (let i = 0; i < copies; i++) lotteryOfAsks.push(id);
  }
  for (let guard = 0; total < target.statusUpdates && lotteryOfAsks.length > 0 && guard < 100 * N; guard++) {
    const path = at(paths, pick(lotteryOfAsks));
    if (path.length >= 8) continue;
    const steps = path.flatMap((s, i) => (s >= UNDER_REVIEW && s <= IN_PROGRESS ? [i] : []));
    const i = pick(steps);
    path.splice(i + 1, 0, at(path, i));
    total++;
  }
  if (total !== target.statusUpdates) throw new Error(`Planned ${total} status updates, not ${target.statusUpdates}`);
}

// Update times: triage within days, later steps weeks or months apart, all before --now.
const voteEnd = new Float64Array(N + 1);
const updatedAt = new Float64Array(N + 1);
const pathTimes: Float64Array[] = new Array(N + 1);
const pathTeams: string[][] = new Array(N + 1);
for (let id = 1; id <= N; id++) {
  const path = at(paths, id);
  const createdAt = at(created, id);
  const times = new Float64Array(path.length);
  const teams: string[] = [];
  let t = 0;
  for (let i = 0; i < path.length; i++) {
    t += i === 0 ? 2 * HOUR + exponential(6 * DAY) : 6 * HOUR + exponential(70 * DAY);
    times[i] = t;
    const byAssignment = i === 0 && (path[0] === UNDER_REVIEW || (path[0] === DUPLICATE && chance(0.8)));
    teams.push(byAssignment ? "Assignment Team" : at(ownerTeam, id));
  }
  const room = NOW - HOUR - createdAt;
  const squeeze = t > room * 0.98 ? (room * 0.98) / t : 1;
  for (let i = 0; i < times.length; i++) times[i] = Math.floor(createdAt + at(times, i) * squeeze);
  pathTimes[id] = times;
  pathTeams[id] = teams;
  const last = times.length > 0 ? at(times, times.length - 1) : createdAt;
  updatedAt[id] = last;
  voteEnd[id] = isClosed(at(finalStatus, id)) ? last : NOW - 60_000;
}

// Votes: a Zipf-like curve solved so the total is exact and the top ask gets ~85% of the partners.
rng = stream(5);
const voteCount = new Int32Array(N + 1);
{
  const top = Math.floor(partners.length * 0.85);
  const noise = new Float64Array(N + 1);
  for (let r = 1; r <= N; r++) noise[r] = r === 1 ? 1 : r <= 50 ? 0.7 + 0.3 * rng() : exponential(1);
  const curve = (a: number) => {
    let sum = 0;
    for (let r = 1; r <= N; r++) sum += Math.min(top, top * r ** -a * at(noise, r));
    return sum;
  };
  let lo = 0;
  let hi = 4;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (curve(mid) > target.votes) lo = mid;
    else hi = mid;
  }
  const counts = new Int32Array(N);
  let total = 0;
  for (let r = 1; r <= N; r++) {
    const exact = Math.min(top, top * r ** -lo * at(noise, r));
    counts[r - 1] = Math.floor(exact) + (rng() < exact % 1 ? 1 : 0);
    total += at(counts, r - 1);
  }
  for (let guard = 0; total !== target.votes && guard < 100 * N; guard++) {
    const r = int(N);
    if (total < target.votes && at(counts, r) < top) {
      counts[r] = at(counts, r) + 1;
      total++;
    } else if (total > target.votes && at(counts, r) > 0 && r > 0) {
      counts[r] = at(counts, r) - 1;
      total--;
    }
  }
  counts.sort().reverse();
  // The biggest counts go to the asks most likely to collect votes: open long enough, not a duplicate.
  const popularity = new Float64Array(N + 1);
  const statusPull = [1, 1.2, 1.5, 1.4, 1, 0.6, 0.08];
  for (let id = 1; id <= N; id++) {
    const days = Math.max(1, (at(voteEnd, id) - at(created, id)) / DAY);
    popularity[id] = Math.exp(1.1 * normal()) * at(statusPull, at(finalStatus, id)) * Math.sqrt(Math.min(days, 900));
  }
  popularity[1] = at(popularity, 1) * 4;
  const order = Array.from({ length: N }, (_, i) => i + 1).sort((a, b) => at(popularity, b) - at(popularity, a));
  order.forEach((id, rank) => {
    voteCount[id] = at(counts, rank);
  });
}

// Comments: roughly with the square root of the votes, exactly FIRST_ASK_COMMENTS on ask 1.
const commentCount = new Int32Array(N + 1);
{
  commentCount[1] = FIRST_ASK_COMMENTS;
  const weight = new Float64Array(N + 1);
  let weightSum = 0;
  for (let id = 2; id <= N; id++) {
    weight[id] = (0.4 + Math.sqrt(at(voteCount, id))) * Math.exp(0.8 * normal());
    weightSum += at(weight, id);
  }
  const rest = target.comments - FIRST_ASK_COMMENTS;
  let total = FIRST_ASK_COMMENTS;
  for (let id = 2; id <= N; id++) {
    const exact = Math.min(400, (rest * at(weight, id)) / weightSum);
    commentCount[id] = Math.floor(exact) + (rng() < exact % 1 ? 1 : 0);
    total += at(commentCount, id);
  }
  while (total !== target.comments) {
    const id = 2 + int(N - 1);
    if (total < target.comments && at(commentCount, id) < 400) {
      commentCount[id] = at(commentCount, id) + 1;
      total++;
    } else if (total > target.comments && at(commentCount, id) > 0) {
      commentCount[id] = at(commentCount, id) - 1;
      total--;
    }
  }
}

// Resolution links: one on each completed ask's last update (as many as the target allows), then
// "see instead" links on declined asks, then second and third links.
const linkCount = new Uint8Array(N + 1);
{
  let remaining = target.resolutionLinks - 1;
  linkCount[1] = 1;
  const completed: number[] = [];
  const declined: number[] = [];
  for (let id = 2; id <= N; id++) {
    if (finalStatus[id] === COMPLETED) completed.push(id);
    else if (finalStatus[id] === DECLINED) declined.push(id);
  }
  shuffle(completed);
  shuffle(declined);
  for (const pool of [completed, declined, completed, completed]) {
    for (const id of pool) {
      if (remaining === 0) break;
      linkCount[id] = at(linkCount, id) + 1;
      remaining--;
    }
  }
  if (remaining > 0) throw new Error(`Not enough resolved asks for ${target.resolutionLinks} resolution links`);
}

// ---------------------------------------------------------------- the asks, in the interchange format

// Each part of an ask draws from a stream of its own, so changing how comments are written
// does not reshuffle the votes.
const streams = { asks: stream(6), votes: stream(7), comments: stream(8), notes: stream(9), commentText: stream(10) };
const slugOf = (s: number) => at(builtInStatusSlugs, s);
const demoComments = demoAsks.flatMap((a) => a.comments);
const demoCommentStart: number[] = [];
{
  let sum = 0;
  for (const a of demoAsks) {
    demoCommentStart.push(sum);
    sum += a.comments.length;
  }
}
const cporNotes = at(demoAsks, 0).statusUpdates.map((u) => u.note);

function bodyOf(id: number): string {
  rng = streams.asks;
  const demo = demoAt.get(id);
  const c = at(focus, id);
  return demo === undefined ? makeBody(c) : padded(at(demoAsks, demo).body, 200, () => pick(requestSentences)(c));
}

let recentVotes = 0;
const taken = new Uint8Array(usersById.length + 1);
const pool = Int32Array.from(partners);
const chosen = new Int32Array(partners.length);
function votesOf(id: number): VoteRecord[] {
  rng = streams.votes;
  const k = at(voteCount, id);
  let n = 0;
  if (k > partners.length / 4) {
    // Big asks: a uniform sample without replacement (partial Fisher-Yates).
    for (let i = 0; i < k; i++) {
      const j = i + int(pool.length - i);
      const tmp = at(pool, i);
      pool[i] = at(pool, j);
      pool[j] = tmp;
      chosen[n++] = at(pool, i);
    }
  } else {
    for (let tries = 0; n < k; tries++) {
      const u = tries < 50 * k ? activePartner() : pick(pool);
      if (at(taken, u)) continue;
      taken[u] = 1;
      chosen[n++] = u;
    }
    for (let i = 0; i < n; i++) taken[at(chosen, i)] = 0;
  }
  const voters = chosen.subarray(0, n).sort();
  const start = at(created, id);
  const span = Math.max(at(voteEnd, id) - start, 60_000);
  const early = Math.min(span * 0.2, 45 * DAY);
  const votes: VoteRecord[] = [];
  for (let i = 0; i < n; i++) {
    // Most votes come while the ask is new; the rest trickle in until it closes (or today).
    const offset = chance(0.55) ? Math.min(exponential(early), span) : rng() * span;
    const t = Math.floor(Math.min(start + Math.max(offset, 30_000), at(voteEnd, id)));
    if (t > NOW - 30 * DAY) recentVotes++;
    votes.push({ person: personRef(at(voters, i)), at: iso(t) });
  }
  return votes;
}

function commentsOf(id: number): CommentRecord[] {
  const k = at(commentCount, id);
  if (k === 0) return [];
  rng = streams.comments;
  const demo = demoAt.get(id);
  const start = at(created, id);
  const span = Math.max(NOW - HOUR - start, 60_000);
  const times = new Float64Array(k);
  const demoIndex = new Int32Array(k).fill(-1);
  let i = 0;
  if (demo !== undefined) {
    // A demo ask's own comments keep their place in its story, stretched over this ask's history.
    const d = at(demoAsks, demo);
    const dates = [d.createdAt, ...d.statusUpdates.map((u) => u.date), ...d.comments.map((x) => x.date)];
    const demoStart = Date.parse(d.createdAt);
    const demoSpan = Math.max(DAY, Math.max(...dates.map((x) => Date.parse(x))) - demoStart);
    const end = Math.min(NOW - HOUR, at(paths, id).length > 0 ? at(updatedAt, id) + 2 * DAY : start + demoSpan);
    for (; i < Math.min(k, d.comments.length); i++) {
      const share = (Date.parse(at(d.comments, i).date) - demoStart) / demoSpan;
      times[i] = Math.floor(Math.min(end, start + share * (end - start) + HOUR + rng() * 8 * HOUR));
      demoIndex[i] = at(demoCommentStart, demo) + i;
    }
  }
  for (; i < k; i++) {
    const offset = chance(0.6) ? Math.min(exponential(Math.min(span * 0.2, 60 * DAY)), span) : rng() * span;
    times[i] = Math.floor(start + Math.max(offset, 60_000));
  }
  const byTime = Array.from({ length: k }, (_, x) => x).sort((a, b) => at(times, a) - at(times, b));
  const team = at(finalStatus, id) === OPEN ? pick(teamNames.slice(1)) : at(ownerTeam, id);
  const authors = byTime.map((x, n) => {
    if (at(demoIndex, x) >= 0) return demoUser(at(demoComments, at(demoIndex, x)).author);
    const roll = rng();
    return roll < 0.1 && n > 0 ? at(author, id) : roll < 0.22 && n > 0 ? teamMember(team) : activePartner();
  });

  rng = streams.commentText;
  return byTime.map((x, n) => {
    const who = at(usersById, at(authors, n) - 1);
    const isTeam = who.role !== "member";
    const mention =
      who.id !== at(author, id) && chance(isTeam ? 0.6 : 0.15) ? at(usersById, at(author, id) - 1).firstName : null;
    const createdAt = at(times, x);
    const ageDays = (createdAt - start) / DAY;
    const body =
      at(demoIndex, x) >= 0
        ? padded(at(demoComments, at(demoIndex, x)).body, 40, () => pick(partnerSentences)(at(focus, id), ageDays))
        : makeComment(at(focus, id), isTeam, mention, ageDays);
    return {
      ref: `c${n + 1}`,
      author: personRef(who.id),
      createdAt: iso(createdAt),
      body,
      ...(isTeam && chance(0.4) ? { official: true } : {}),
    };
  });
}

function statusUpdatesOf(id: number): StatusUpdateRecord[] {
  rng = streams.notes;
  const path = at(paths, id);
  const times = at(pathTimes, id);
  const c = at(focus, id);
  return path.map((to, step) => {
    const from = step === 0 ? OPEN : at(path, step - 1);
    const team = at(at(pathTeams, id), step);
    const who = teamMember(team);
    let note = makeNote({
      c,
      from,
      to,
      assignedTeam: at(ownerTeam, id),
      byAssignmentTeam: team === "Assignment Team" && to !== DUPLICATE,
      duplicateOfTitle: at(duplicateOf, id) ? at(titles, at(duplicateOf, id)) : null,
    });
    if (id === 1 && (step === 0 || step === 2 || step === path.length - 1)) {
      note = at(cporNotes, step === 0 ? 0 : step === 2 ? 1 : 2);
    }
    const links: LinkRecord[] = [];
    for (let k = 0; step === path.length - 1 && k < at(linkCount, id); k++) {
      if (id === 1) {
        links.push({
          url: "https://learn.example.com/partner-of-record/about-cpor",
          title: "About Claiming Partner of Record (CPOR)",
        });
        continue;
      }
      const title =
        k === 0
          ? pick(c.v.docs)
          : `${pick(c.v.docs)}: ${pick(["FAQ", "troubleshooting", "reference", "step by step"])}`;
      links.push({ url: `https://learn.example.com/${c.v.area}/${slugify(title)}`, title });
    }
    const t = iso(at(times, step));
    return {
      ref: `u${step + 1}`,
      date: t.slice(0, 10),
      team,
      status: slugOf(to),
      note,
      author: personRef(who),
      recordedAt: t,
      ...(links.length > 0 ? { links } : {}),
    };
  });
}

function askOf(id: number): AskRecord {
  const body = bodyOf(id);
  const votes = votesOf(id);
  const comments = commentsOf(id);
  const statusUpdates = statusUpdatesOf(id);
  return {
    ref: `a${id}`,
    title: at(titles, id),
    body,
    author: personRef(at(author, id)),
    category: at(categoryNames, at(category, id)),
    createdAt: iso(at(created, id)),
    status: slugOf(at(finalStatus, id)),
    ...(at(duplicateOf, id) ? { duplicateOf: `a${at(duplicateOf, id)}` } : {}),
    votes,
    statusUpdates,
    comments,
  };
}

// One record at a time, straight to disk: the document is never whole in memory, and the
// writer waits whenever the file falls behind.
async function writeDocument(path: string): Promise<void> {
  const out = createWriteStream(path);
  let pending = "";
  const write = async (text: string) => {
    pending += text;
    if (pending.length < 1 << 16) return;
    const flowing = out.write(pending);
    pending = "";
    if (!flowing) await once(out, "drain");
  };
  await write(`{"format":${JSON.stringify(formatName)},"version":${formatVersion},\n`);
  await write(`"teams":${JSON.stringify(teamNames.map((name) => ({ name })))},\n`);
  await write(`"categories":${JSON.stringify(categoryNames.map((name) => ({ name })))},\n"people":[\n`);
  for (const [i, person] of people.entries()) await write(`${i > 0 ? ",\n" : ""}${JSON.stringify(person)}`);
  await write('\n],\n"asks":[\n');
  for (let id = 1; id <= N; id++) {
    await write(`${id > 1 ? ",\n" : ""}${JSON.stringify(askOf(id))}`);
    if (id % 20_000 === 0) log(`  asks ${id.toLocaleString("en")}`);
  }
  out.end(`${pending}\n]}\n`);
  await finished(out);
}

{
  const partial = `${JSON_OUT}.partial`;
  await writeDocument(partial);
  renameSync(partial, JSON_OUT);
  log(`${JSON_OUT}: ${(statSync(JSON_OUT).size / 1024 / 1024).toFixed(1)} MiB`);
}
if (args["json-only"]) process.exit(0);

// ---------------------------------------------------------------- the database, through the importer

for (const suffix of ["", "-wal", "-shm", "-journal", ".lock"]) rmSync(`${PARTIAL}${suffix}`, { force: true });
process.env.DATABASE_PATH = PARTIAL;
// The start-up asks for a session secret: the bench server's own, rather than a file left beside the data.
process.env.SESSION_SECRET ??= "bench-only-secret";
const { startup } = await import("../server/startup");
const { closeDb, db } = await import("../db/client");
const { runImport } = await import("../app/models/import.server");
const { openImportSource } = await import("../app/services/import-source.server");
const { activateImportedPeople } = await import("../app/models/claim.server");

await startup({ seedDemo: false, admin: undefined });
log(`Importing into ${PARTIAL}`);
let lastProgress = 0;
const report = await runImport({
  source: await openImportSource(JSON_OUT),
  actorId: null,
  onProgress: ({ phase, records, bytesRead, size }) => {
    if (performance.now() - lastProgress < 5_000) return;
    lastProgress = performance.now();
    log(`  ${phase}: ${records.toLocaleString("en")} records, ${size ? Math.round((100 * bytesRead) / size) : "?"}%`);
  },
});
if (!report.ok) {
  for (const error of report.errors) console.error(`${error.place}: ${error.message}`);
  throw new Error(`The importer refused ${JSON_OUT} with ${report.errorCount} errors`);
}
log(`Imported in ${report.seconds.toFixed(1)}s`);

// One hash for every account: they all share the documented benchmark password.
const passwordHash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id });
const activated = activateImportedPeople(undefined, {
  emails: people.flatMap((p) => (p.email ? [p.email] : [])),
  passwordHash,
  verifiedAt: iso(START),
});
if (activated !== people.length) throw new Error(`Only ${activated} of ${people.length} people can sign in`);
const sqlite = db().$client;
sqlite.exec("ANALYZE");
log(`${activated.toLocaleString("en")} accounts activated; statistics gathered`);

// ---------------------------------------------------------------- summary

const topAsk = sqlite.prepare("SELECT id, title, vote_count FROM asks ORDER BY vote_count DESC, id LIMIT 1").get() as {
  id: number;
  title: string;
  vote_count: number;
};
const statusMix = sqlite
  .prepare(
    "SELECT s.slug, count(*) AS n FROM asks a JOIN statuses s ON s.id = a.status_id GROUP BY s.slug ORDER BY s.position",
  )
  .all() as { slug: string; n: number }[];
const median = sqlite
  .prepare("SELECT vote_count FROM asks ORDER BY vote_count LIMIT 1 OFFSET ?")
  .pluck()
  .get(Math.floor(N / 2)) as number;
closeDb();
for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${OUT}${suffix}`, { force: true });
rmSync(`${PARTIAL}.lock`, { force: true });
renameSync(PARTIAL, OUT);

console.log("\nImported");
for (const [kind, { created }] of Object.entries(report.counts)) {
  console.log(`  ${kind.padEnd(18)} ${created.toLocaleString("en").padStart(12)}`);
}
console.log("Statuses");
for (const { slug, n } of statusMix) console.log(`  ${slug.padEnd(18)} ${n.toLocaleString("en").padStart(12)}`);
console.log(`Top ask: #${topAsk.id} "${topAsk.title}" with ${topAsk.vote_count.toLocaleString("en")} votes`);
console.log(
  `Median votes per ask: ${median}; votes in the last 30 days: ${((100 * recentVotes) / target.votes).toFixed(1)}%`,
);
console.log(`File: ${OUT} (${(statSync(OUT).size / 1024 / 1024).toFixed(1)} MiB)`);
console.log(`Elapsed: ${((performance.now() - started) / 1000).toFixed(1)}s`);
console.log(`Password for every account: ${BENCH_PASSWORD}`);
