import { createHash, randomUUID } from "node:crypto";
import type { Statement } from "better-sqlite3";
import type { Role } from "~/domain";
import { ImportSourceError } from "~/services/import-source-error.server";
import { slugify } from "~/slug";
import {
  type AskRecord,
  askRecord,
  type CommentRecord,
  categoryRecord,
  headerRecord,
  type ImportError,
  type ImportRole,
  type ImportSource,
  type LinkRecord,
  looseCommentRecord,
  looseStatusUpdateRecord,
  maxReportedErrors,
  type PersonRecord,
  personRecord,
  type StatusRecord,
  type StatusUpdateRecord,
  statusRecord,
  teamRecord,
  type VoteRecord,
} from "~/validation/import-format";
import { latestAboutDate } from "~/validation/status-update";
import type { z } from "~/validation/zod";
import { db } from "../../db/client";
import { organizationFor } from "./organization.server";
import { rebuildSearchRows, resumeSearchTriggers, suspendSearchTriggers } from "./search-index.server";

// Bringing history in (docs/import-format.md, docs/decisions/010-import-and-export.md).
//
// A run reads its source twice. The first pass checks every record and every reference
// and writes nothing; any error ends the run there, with up to 100 of them reported. The
// second pass writes everything in one IMMEDIATE transaction, so a failure halfway
// leaves the database as it was. A dry run does the second pass too and rolls it back,
// so its counts are exactly what a real run would do.
//
// Records are matched by their source ids (refs), so running the same file again changes
// nothing, and running an edited one updates what changed and adds what is new.

export const importKinds = [
  "teams",
  "categories",
  "statuses",
  "people",
  "asks",
  "statusUpdates",
  "comments",
  "votes",
] as const;
export type ImportKind = (typeof importKinds)[number];
export type ImportCount = { created: number; updated: number; unchanged: number };

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  source: string;
  counts: Record<ImportKind, ImportCount>;
  errors: ImportError[];
  errorCount: number;
  seconds: number;
};

export type ImportProgress = { phase: "checking" | "writing"; records: number; bytesRead: number; size: number | null };

type ImportInput = {
  source: ImportSource;
  actorId: number | null;
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  // The admin page's run, marked done in the import's own transaction.
  runId?: number;
};

const roleOf: Record<ImportRole, Role> = { partner: "member", team: "team", admin: "admin" };
// Status updates without an author are credited to this placeholder.
const historyAuthor = { ref: "asklog:imported-history", name: "Imported history" } as const;
// The colour of a status an import creates; white text on it passes the contrast check.
const newStatusColor = "#57606a";

// The runner reads the source with `await`, so the transaction it opens spans many turns of
// the event loop: whatever else uses this process's connection meanwhile would join it. The
// admin page therefore never imports in a web process; the worker runs imports in a child
// process (models/import-run.server.ts).
export async function runImport({
  source,
  actorId,
  dryRun = false,
  onProgress,
  runId,
}: ImportInput): Promise<ImportReport> {
  const started = performance.now();
  const counts = emptyCounts();
  const report = (errors: Errors): ImportReport => ({
    ok: errors.count === 0,
    dryRun,
    source: source.name,
    counts,
    errors: errors.list,
    errorCount: errors.count,
    seconds: Math.round(performance.now() - started) / 1000,
  });
  const progress = progressReporter(source, onProgress);

  const checked = await check(source, progress);
  if (checked.errors.count > 0) return report(checked.errors);

  const client = db().$client;
  client.exec("BEGIN IMMEDIATE");
  try {
    await write(source, checked, counts, progress);
    if (dryRun) {
      client.exec("ROLLBACK");
    } else {
      const summary = report(new Errors());
      recordRun({ runId, actorId, source: source.name, report: summary });
      client.exec("COMMIT");
    }
  } catch (error) {
    if (client.inTransaction) client.exec("ROLLBACK");
    throw error;
  }
  return report(new Errors());
}

export function emptyCounts(): Record<ImportKind, ImportCount> {
  return Object.fromEntries(importKinds.map((k) => [k, { created: 0, updated: 0, unchanged: 0 }])) as Record<
    ImportKind,
    ImportCount
  >;
}

class Errors {
  list: ImportError[] = [];
  count = 0;
  add(place: string, message: string): void {
    this.count++;
    if (this.list.length < maxReportedErrors) this.list.push({ place, message });
  }
  addIssues(place: string, error: z.ZodError): void {
    for (const issue of error.issues) this.add(place + pathText(issue.path), issue.message);
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
}

function progressReporter(source: ImportSource, onProgress: ImportInput["onProgress"]) {
  let records = 0;
  let last = 0;
  let current: ImportProgress["phase"] = "checking";
  return (phase: ImportProgress["phase"], force = false) => {
    if (phase !== current) records = 0;
    current = phase;
    records++;
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - last < 250) return;
    last = now;
    onProgress({ phase, records, bytesRead: source.bytesRead(), size: source.size });
  };
}

// A date alone means that day in UTC, kept as its noon: shown in any reader's time zone from
// UTC-11 to UTC+11 it is still that day. Every moment is stored as a UTC ISO string.
function instant(value: string): string {
  if (value.length === 10) return `${value}T12:00:00.000Z`;
  // Already the stored form (an export's dates): nothing to convert.
  return isoInstant.test(value) ? value : new Date(value).toISOString();
}
const isoInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// An update written down without a time of its own was recorded on the day it is about.
function recordedAt(u: StatusUpdateRecord): string {
  return instant(u.recordedAt ?? u.date);
}

// ---------------------------------------------------------------- first pass: check

type Checked = {
  errors: Errors;
  // Each ask's filing moment, for numbering new asks in that order.
  askCreatedAt: Map<string, string>;
};

async function check(source: ImportSource, progress: ReturnType<typeof progressReporter>): Promise<Checked> {
  const errors = new Errors();
  const people = new Map<string, string>();
  const emails = new Map<string, string>();
  const statusSlugs = new Map<string, string>();
  const askCreatedAt = new Map<string, string>();
  const askPlaces = new Map<string, string>();
  const loose = new Map<string, number>();
  // References to records the file may define further on: checked once all is read.
  const personRefs: [string, string][] = [];
  const askRefs: [string, string][] = [];
  const statusRefs = new Map<string, string>();

  const person = (ref: string, place: string) => {
    if (!people.has(ref)) personRefs.push([ref, place]);
  };
  const statusUpdate = (u: StatusUpdateRecord, place: string, askCreated: string | undefined) => {
    if (!statusRefs.has(u.status)) statusRefs.set(u.status, `${place}.status`);
    if (u.author) person(u.author, `${place}.author`);
    if (askCreated && u.date < askCreated.slice(0, 10)) {
      errors.add(`${place}.date`, `${u.date} is before the ask was filed (${askCreated.slice(0, 10)})`);
    }
    if (u.date > latestAboutDate()) errors.add(`${place}.date`, `${u.date} is in the future`);
  };
  const sourceRefs = new Set<string>();
  const childRef = (askRef: string, ref: string, place: string) => {
    const key = `${askRef}\u0000${ref}`;
    if (sourceRefs.has(key)) errors.add(`${place}.ref`, `the ref ${JSON.stringify(ref)} is used twice in this ask`);
    sourceRefs.add(key);
  };

  try {
    for await (const item of source.items()) {
      progress("checking");
      switch (item.kind) {
        case "header": {
          const parsed = headerRecord.safeParse(item.value);
          if (!parsed.success) errors.addIssues("", parsed.error);
          break;
        }
        case "team":
        case "category": {
          const parsed = (item.kind === "team" ? teamRecord : categoryRecord).safeParse(item.value);
          if (!parsed.success) errors.addIssues(item.place, parsed.error);
          break;
        }
        case "status": {
          const parsed = statusRecord.safeParse(item.value);
          if (!parsed.success) errors.addIssues(item.place, parsed.error);
          else if (statusSlugs.has(parsed.data.slug)) {
            errors.add(
              `${item.place}.slug`,
              `${parsed.data.slug} is defined twice (also ${statusSlugs.get(parsed.data.slug)})`,
            );
          } else statusSlugs.set(parsed.data.slug, item.place);
          break;
        }
        case "person": {
          const parsed = personRecord.safeParse(item.value);
          if (!parsed.success) {
            errors.addIssues(item.place, parsed.error);
            break;
          }
          const p = parsed.data;
          if (people.has(p.ref))
            errors.add(
              `${item.place}.ref`,
              `the ref ${JSON.stringify(p.ref)} is used twice (also ${people.get(p.ref)})`,
            );
          people.set(p.ref, item.place);
          if (p.email) {
            const other = emails.get(p.email);
            if (other) errors.add(`${item.place}.email`, `${p.email} is given to two people (also ${other})`);
            emails.set(p.email, item.place);
          }
          if (p.team && p.role !== "team" && p.role !== "admin") {
            errors.add(`${item.place}.team`, `only team members and admins belong to a team; give "role": "team"`);
          }
          break;
        }
        case "ask": {
          const parsed = askRecord.safeParse(item.value);
          if (!parsed.success) {
            errors.addIssues(item.place, parsed.error);
            break;
          }
          const a = parsed.data;
          if (askPlaces.has(a.ref)) {
            errors.add(
              `${item.place}.ref`,
              `the ref ${JSON.stringify(a.ref)} is used twice (also ${askPlaces.get(a.ref)})`,
            );
          }
          askPlaces.set(a.ref, item.place);
          const createdAt = instant(a.createdAt);
          askCreatedAt.set(a.ref, createdAt);
          person(a.author, `${item.place}.author`);
          if (a.status && !statusRefs.has(a.status)) statusRefs.set(a.status, `${item.place}.status`);
          if (a.duplicateOf) askRefs.push([a.duplicateOf, `${item.place}.duplicateOf`]);
          for (const [i, v] of (a.votes ?? []).entries()) person(voter(v), `${item.place}.votes[${i}]`);
          const updates = a.statusUpdates ?? [];
          statusUpdateRefs(a).forEach((ref, i) => {
            const place = `${item.place}.statusUpdates[${i}]`;
            childRef(a.ref, `u:${ref}`, place);
            statusUpdate(updates[i] as StatusUpdateRecord, place, createdAt);
          });
          const comments = a.comments ?? [];
          commentRefs(a.ref, comments, new Map()).forEach((ref, i) => {
            const place = `${item.place}.comments[${i}]`;
            childRef(a.ref, `c:${ref}`, place);
            person((comments[i] as CommentRecord).author, `${place}.author`);
          });
          break;
        }
        case "statusUpdate": {
          const parsed = looseStatusUpdateRecord.safeParse(item.value);
          if (!parsed.success) {
            errors.addIssues(item.place, parsed.error);
            break;
          }
          const u = parsed.data;
          askRefs.push([u.ask, `${item.place}.ask`]);
          childRef(u.ask, `u:${updateRef(u, loose)}`, item.place);
          statusUpdate(u, item.place, askCreatedAt.get(u.ask));
          break;
        }
        case "comment": {
          const parsed = looseCommentRecord.safeParse(item.value);
          if (!parsed.success) {
            errors.addIssues(item.place, parsed.error);
            break;
          }
          const c = parsed.data;
          askRefs.push([c.ask, `${item.place}.ask`]);
          childRef(c.ask, `c:${commentRef(c.ask, c, loose)}`, item.place);
          person(c.author, `${item.place}.author`);
          break;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ImportSourceError)) throw error;
    errors.add(source.name, error.message.replace(`${source.name}: `, ""));
    return { errors, askCreatedAt };
  }

  for (const [ref, place] of personRefs) {
    if (!people.has(ref)) errors.add(place, `no person has the ref ${JSON.stringify(ref)}; list them under people`);
  }
  for (const [ref, place] of askRefs) {
    if (!askPlaces.has(ref)) errors.add(place, `no ask in this file has the ref ${JSON.stringify(ref)}`);
  }
  const known = new Set(
    db()
      .$client.prepare<[], { slug: string }>("SELECT slug FROM statuses")
      .all()
      .map((s) => s.slug),
  );
  for (const [slug, place] of statusRefs) {
    if (!known.has(slug) && !statusSlugs.has(slug)) {
      errors.add(place, `the status ${JSON.stringify(slug)} is neither in this Asklog nor under statuses`);
    }
  }
  return { errors, askCreatedAt };
}

const voter = (v: VoteRecord) => (typeof v === "string" ? v : v.person);

// Refs for records a file gives none: what identifies them in the source. Two alike on one
// ask (two updates on one day to the same status) are told apart by their order.
function numbered(key: string, seen: Map<string, number>): string {
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  return n === 1 ? key : `${key}#${n}`;
}
function updateRef(u: StatusUpdateRecord & { ask?: string }, seen: Map<string, number>): string {
  return (
    u.ref ?? numbered(`${u.ask ?? ""}\u0000${u.date}|${u.team ?? ""}|${u.status}`, seen).slice((u.ask ?? "").length + 1)
  );
}
function commentRef(askRef: string, c: CommentRecord, seen: Map<string, number>): string {
  return c.ref ?? numbered(`${askRef}\u0000${instant(c.createdAt)}|${c.author}`, seen).slice(askRef.length + 1);
}
function statusUpdateRefs(a: AskRecord): string[] {
  const seen = new Map<string, number>();
  return (a.statusUpdates ?? []).map((u) => updateRef(u, seen));
}
function commentRefs(askRef: string, list: CommentRecord[], seen: Map<string, number>): string[] {
  return list.map((c) => commentRef(askRef, c, seen));
}

// ---------------------------------------------------------------- second pass: write

type Row = Record<string, unknown>;

async function write(
  source: ImportSource,
  checked: Checked,
  counts: Record<ImportKind, ImportCount>,
  progress: ReturnType<typeof progressReporter>,
): Promise<void> {
  const searchTriggers = suspendSearchTriggers();
  // The transaction outgrows SQLite's default 2 MiB page cache many times over, and building the
  // search rows at the end then reads back pages already spilled to the write-ahead log: at bench
  // size that step took 106 s with the default, 71 s with 64 MiB and 34 s with 192 MiB. 64 MiB
  // keeps the import under 400 MB; the cache is the import connection's own and goes back to its
  // size after the run.
  const client = db().$client;
  const cacheSize = client.pragma("cache_size", { simple: true }) as number;
  client.pragma("cache_size = -65536");
  try {
    await writeAll(source, checked, counts, progress);
  } finally {
    client.pragma(`cache_size = ${cacheSize}`);
  }
  resumeSearchTriggers(searchTriggers);
}

async function writeAll(
  source: ImportSource,
  checked: Checked,
  counts: Record<ImportKind, ImportCount>,
  progress: ReturnType<typeof progressReporter>,
): Promise<void> {
  const q = statements();
  const count = (kind: ImportKind, outcome: keyof ImportCount) => {
    counts[kind][outcome]++;
  };

  const named = (table: "teams" | "categories", kind: ImportKind) => {
    const ids = new Map<string, number>();
    // A category the file lists takes its place in the list; one only an ask names goes last.
    return (name: string, position: number | null = null): number => {
      let id = ids.get(name);
      if (id !== undefined) return id;
      const row = q.selectNamed[table].get(name) as { id: number } | undefined;
      if (row) {
        id = row.id;
        count(kind, "unchanged");
      } else {
        const insert = q.insertNamed[table];
        id = Number((table === "categories" ? insert.run(name, position) : insert.run(name)).lastInsertRowid);
        count(kind, "created");
      }
      ids.set(name, id);
      return id;
    };
  };
  const teamId = named("teams", "teams");
  const categoryId = named("categories", "categories");
  const organizationIds = new Map<string, number>();
  const organizationId = (name: string): number => {
    let id = organizationIds.get(name);
    if (id === undefined) {
      id = organizationFor(db(), name);
      organizationIds.set(name, id);
    }
    return id;
  };
  let categoryPosition = 0;

  const statusIds = new Map((q.allStatuses.all() as { slug: string; id: number }[]).map((s) => [s.slug, s.id]));
  const openStatusId = statusIds.get("open") as number;

  const userIds = new Map<string, number>();
  const personId = (ref: string): number => userIds.get(ref) ?? (q.userByRef.get(ref) as { id: number }).id;

  // New asks are numbered in the order they were filed, after every ask already here.
  const existingRefs = new Set((q.askRefs.all() as { ref: string }[]).map((r) => r.ref));
  const newAsks = [...checked.askCreatedAt].filter(([ref]) => !existingRefs.has(ref));
  newAsks.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let next = ((q.maxAskId.get() as { id: number | null }).id ?? 0) + 1;
  const newAskIds = new Map(newAsks.map(([ref]) => [ref, next++]));
  const askIds = new Map<string, number>();
  const askId = (ref: string) => askIds.get(ref) ?? newAskIds.get(ref) ?? ((q.askByRef.get(ref) as Row).id as number);
  // Asks whose counts and dates must be worked out again from their rows at the end.
  const touched = new Set<number>();
  // Asks whose search index rows are built again at the end: new ones and changed ones.
  const reindex = new Set<number>();
  const fromHistory = new Set<number>();
  // People the import moved to another organization: every ask they voted on is counted again.
  const movedVoters = new Set<number>();
  const duplicates: [number, string][] = [];
  const loose = new Map<string, number>();

  const writePerson = (p: PersonRecord) => {
    const org = p.organization ? organizationId(p.organization) : null;
    const team = p.team ? teamId(p.team) : null;
    const role = roleOf[p.role ?? "partner"];
    const found = (q.userByRef.get(p.ref) ??
      (p.email ? (q.confirmedUserByEmail.get(p.email) ?? q.placeholderByClaim.get(p.email)) : undefined)) as
      | Row
      | undefined;
    if (!found) {
      const row = q.insertPlaceholder.run({
        email: `imported-${randomUUID()}@placeholder.invalid`,
        name: p.name,
        role,
        org,
        team,
        claim: p.email ?? null,
        ref: p.ref,
      });
      userIds.set(p.ref, Number(row.lastInsertRowid));
      count("people", "created");
      return;
    }
    userIds.set(p.ref, found.id as number);
    // A real account keeps what its owner and the admins set; the import only learns its ref.
    if (!found.placeholder) {
      if (found.source_ref === null) q.setUserRef.run(p.ref, found.id);
      count("people", found.source_ref === null ? "updated" : "unchanged");
      return;
    }
    const same =
      found.display_name === p.name &&
      found.organization_id === org &&
      found.role === role &&
      found.team_id === team &&
      found.claim_email === (p.email ?? null) &&
      found.source_ref === p.ref;
    if (same) count("people", "unchanged");
    else {
      if (found.organization_id !== org) movedVoters.add(found.id as number);
      q.updatePlaceholder.run({ id: found.id, name: p.name, role, org, team, claim: p.email ?? null, ref: p.ref });
      count("people", "updated");
    }
  };

  const authorOfUpdate = (ref: string | undefined): number => {
    if (ref) return personId(ref);
    if (!userIds.has(historyAuthor.ref)) {
      const saved = counts.people.created;
      writePerson({ ref: historyAuthor.ref, name: historyAuthor.name });
      counts.people.created = saved;
    }
    return personId(historyAuthor.ref);
  };

  const follow = (ask: number, user: number, reason: string, at: string) => q.follow.run(ask, user, reason, at);

  const writeLinks = (updateId: number, ask: number, links: LinkRecord[], isNew: boolean): boolean => {
    if (!isNew) {
      const current = q.linksOf.all(updateId) as { url: string; title: string }[];
      const same =
        current.length === links.length &&
        current.every((l, i) => l.url === links[i]?.url && l.title === links[i]?.title);
      if (same) return false;
      q.deleteLinks.run(updateId);
    }
    for (const link of links) q.insertLink.run(updateId, ask, link.url, link.title);
    return true;
  };

  // Writes one status update of an ask; returns whether anything changed. A new ask's
  // updates arrive in order with the status each moves from; otherwise that is worked out
  // again from the ask's whole history at the end.
  const writeUpdate = (ask: number, ref: string, u: StatusUpdateRecord, from: number | null): boolean => {
    const values = {
      from,
      ask,
      ref,
      to: statusIds.get(u.status) as number,
      team: u.team ? teamId(u.team) : null,
      author: authorOfUpdate(u.author),
      note: u.note,
      date: u.date,
      recorded: recordedAt(u),
    };
    const found = from !== null ? undefined : (q.updateByRef.get(ask, ref) as Row | undefined);
    if (!found) {
      const id = Number(q.insertUpdate.run(values).lastInsertRowid);
      writeLinks(id, ask, u.links ?? [], true);
      count("statusUpdates", "created");
      return true;
    }
    const same =
      found.to_status_id === values.to &&
      found.team_id === values.team &&
      found.author_id === values.author &&
      found.note === values.note &&
      found.about_date === values.date &&
      found.recorded_at === values.recorded;
    if (!same) q.changeUpdate.run({ ...values, id: found.id });
    const linksChanged = writeLinks(found.id as number, ask, u.links ?? [], false);
    count("statusUpdates", same && !linksChanged ? "unchanged" : "updated");
    return !same || linksChanged;
  };

  const writeComment = (ask: number, ref: string, c: CommentRecord, isNewAsk: boolean): boolean => {
    const values = {
      ask,
      ref,
      author: personId(c.author),
      body: c.body,
      at: instant(c.createdAt),
      official: c.official ? 1 : 0,
      hidden: c.hiddenAt ? instant(c.hiddenAt) : null,
      reason: c.hiddenAt ? (c.hiddenReason ?? "Hidden before import") : null,
    };
    const found = isNewAsk ? undefined : (q.commentByRef.get(ask, ref) as Row | undefined);
    if (!found) {
      q.insertComment.run(values);
      follow(ask, values.author, "commented", values.at);
      count("comments", "created");
      return true;
    }
    const same =
      found.author_id === values.author &&
      found.body === values.body &&
      found.created_at === values.at &&
      found.is_official === values.official &&
      found.hidden_at === values.hidden;
    if (!same) q.changeComment.run({ ...values, id: found.id });
    count("comments", same ? "unchanged" : "updated");
    return !same;
  };

  const writeVote = (ask: number, v: VoteRecord, fallback: string): boolean => {
    const user = personId(voter(v));
    const at = typeof v === "string" ? fallback : instant(v.at);
    const created = q.insertVote.run(ask, user, at).changes > 0;
    if (created) follow(ask, user, "voted", at);
    count("votes", created ? "created" : "unchanged");
    return created;
  };

  // An ask whose record is the same as at the last import is left as it is, with everything in
  // it: a re-run of a big file reads it and changes nothing. What people changed here since
  // that import (a retracted vote, a hidden comment) stays.
  const skipUnchanged = (raw: Row, hash: string): boolean => {
    const ref = typeof raw.ref === "string" ? raw.ref.trim() : "";
    if (newAskIds.has(ref)) return false;
    const row = q.askHashByRef.get(ref) as { id: number; source_hash: string | null } | undefined;
    if (row?.source_hash !== hash) return false;
    askIds.set(ref, row.id);
    if (typeof raw.duplicateOf === "string") duplicates.push([row.id, raw.duplicateOf.trim()]);
    const length = (list: unknown) => (Array.isArray(list) ? list.length : 0);
    counts.asks.unchanged++;
    counts.statusUpdates.unchanged += length(raw.statusUpdates);
    counts.comments.unchanged += length(raw.comments);
    counts.votes.unchanged += length(raw.votes);
    return true;
  };

  const writeAsk = (a: AskRecord, hash: string | null) => {
    const createdAt = instant(a.createdAt);
    const updateRefs = statusUpdateRefs(a);
    const commentKeys = commentRefs(a.ref, a.comments ?? [], new Map());
    // The history in the order it happened: the last update is where the ask stands now.
    const history = (a.statusUpdates ?? []).map((u, i) => ({ u, i }));
    history.sort((x, y) => (x.u.date < y.u.date ? -1 : x.u.date > y.u.date ? 1 : x.i - y.i));
    const last = history.at(-1)?.u;
    const existing = newAskIds.has(a.ref) ? undefined : (q.askByRef.get(a.ref) as Row | undefined);
    const id = existing ? (existing.id as number) : (newAskIds.get(a.ref) as number);
    askIds.set(a.ref, id);
    if (a.duplicateOf) duplicates.push([id, a.duplicateOf]);
    // A record that says nothing of where the ask stands (a CSV row whose updates come in
    // another file) leaves that to its history, worked out once the whole file is in.
    const slug = a.status ?? last?.status;
    if (!slug) fromHistory.add(id);
    const values = {
      id,
      title: a.title,
      slug: slugify(a.title),
      body: a.body,
      author: personId(a.author),
      category: categoryId(a.category),
      status: slug ? (statusIds.get(slug) as number) : ((existing?.status_id as number | undefined) ?? openStatusId),
      team: a.team
        ? teamId(a.team)
        : last?.team
          ? teamId(last.team)
          : slug
            ? null
            : ((existing?.team_id as number | null) ?? null),
      sourceUrl: a.sourceUrl ?? null,
      extra: a.extraVotes ?? 0,
      createdAt,
      hidden: a.hiddenAt ? instant(a.hiddenAt) : null,
      reason: a.hiddenAt ? (a.hiddenReason ?? "Hidden before import") : null,
      ref: a.ref,
    };

    if (!existing) {
      const voters = [...new Map((a.votes ?? []).map((v) => [personId(voter(v)), v])).values()];
      const comments = a.comments ?? [];
      const moments = [
        createdAt,
        ...history.map(({ u }) => recordedAt(u)),
        ...comments.map((c) => instant(c.createdAt)),
      ];
      q.insertAsk.run({
        ...values,
        hash,
        votes: voters.length + values.extra,
        comments: comments.filter((c) => !c.hiddenAt).length,
        updatedAt: moments.sort().at(-1) ?? createdAt,
      });
      reindex.add(id);
      // The author follows as the one who filed it, before any vote or comment of theirs.
      follow(id, values.author, "filed", createdAt);
      let from = openStatusId;
      for (const { u, i } of history) {
        writeUpdate(id, updateRefs[i] as string, u, from);
        from = statusIds.get(u.status) as number;
      }
      // A new ask's votes cannot be there already: one statement for all of them, and one for
      // their follows, rather than two per vote (a million votes at bench size).
      const rows = voters.map((v) => [id, personId(voter(v)), typeof v === "string" ? createdAt : instant(v.at)]);
      for (let at = 0; at < rows.length; at += manyRows) {
        const batch = rows.slice(at, at + manyRows);
        q.insertVotes(batch.length).run(batch.flat());
        q.followVoters(batch.length).run(batch.flat());
      }
      counts.votes.created += rows.length;
      comments.forEach((c, i) => {
        writeComment(id, commentKeys[i] as string, c, true);
      });
      count("asks", "created");
      return;
    }

    let changed = !(
      existing.title === values.title &&
      existing.body === values.body &&
      existing.author_id === values.author &&
      existing.category_id === values.category &&
      existing.status_id === values.status &&
      existing.team_id === values.team &&
      existing.source_url === values.sourceUrl &&
      existing.extra_votes === values.extra &&
      existing.created_at === values.createdAt &&
      existing.hidden_at === values.hidden
    );
    if (changed) q.changeAsk.run(values);
    history.forEach(({ u, i }) => {
      if (writeUpdate(id, updateRefs[i] as string, u, null)) changed = true;
    });
    for (const v of a.votes ?? []) if (writeVote(id, v, createdAt)) changed = true;
    (a.comments ?? []).forEach((c, i) => {
      if (writeComment(id, commentKeys[i] as string, c, false)) changed = true;
    });
    if (changed) touched.add(id);
    if (existing.source_hash !== hash) q.setAskHash.run(hash, id);
    count("asks", changed ? "updated" : "unchanged");
  };

  for await (const item of source.items()) {
    progress("writing");
    switch (item.kind) {
      case "team":
        teamId(teamRecord.parse(item.value).name);
        break;
      case "category":
        categoryId(categoryRecord.parse(item.value).name, categoryPosition++);
        break;
      case "status":
        writeStatus(q, statusRecord.parse(item.value), statusIds, count);
        break;
      case "person":
        writePerson(personRecord.parse(item.value));
        break;
      case "ask": {
        const hash = createHash("sha256").update(JSON.stringify(item.value)).digest("base64url");
        if (!skipUnchanged(item.value as Row, hash)) writeAsk(askRecord.parse(item.value), hash);
        break;
      }
      case "statusUpdate": {
        const u = looseStatusUpdateRecord.parse(item.value);
        const id = askId(u.ask);
        if (writeUpdate(id, updateRef(u, loose), u, null)) touched.add(id);
        break;
      }
      case "comment": {
        const c = looseCommentRecord.parse(item.value);
        const id = askId(c.ask);
        if (writeComment(id, commentRef(c.ask, c, loose), c, false)) touched.add(id);
        break;
      }
      case "header":
        break;
    }
  }
  progress("writing", true);

  for (const [id, target] of duplicates) q.setDuplicateOf.run(askId(target), id);
  for (const id of touched) {
    setFromStatuses(q, id, openStatusId);
    if (fromHistory.has(id)) q.standFromHistory.run({ id });
    q.recountAsk.run({ id });
    reindex.add(id);
  }
  // "Votes from N organizations", for the asks this run created or changed and for every ask a
  // person it moved to another organization voted on.
  for (const id of reindex) q.recountOrganizationsOfAsk.run({ id });
  for (const id of movedVoters) q.recountOrganizationsOfVoter.run({ id });
  rebuildSearchRows(reindex);
}

function writeStatus(
  q: Statements,
  s: StatusRecord,
  statusIds: Map<string, number>,
  count: (kind: ImportKind, outcome: keyof ImportCount) => void,
) {
  // A status already defined keeps the settings its admins gave it.
  if (statusIds.has(s.slug)) {
    count("statuses", "unchanged");
    return;
  }
  const row = q.insertStatus.run({
    slug: s.slug,
    name: s.name,
    color: newStatusColor,
    closed: s.closed ? 1 : 0,
    votes: s.acceptsVotes === false ? 0 : 1,
  });
  statusIds.set(s.slug, Number(row.lastInsertRowid));
  count("statuses", "created");
}

// Each update's "from" status is the one before it in the ask's history.
function setFromStatuses(q: Statements, askId: number, openStatusId: number): void {
  let from = openStatusId;
  for (const u of q.updatesInOrder.all(askId) as {
    id: number;
    from_status_id: number | null;
    to_status_id: number;
  }[]) {
    if (u.from_status_id !== from) q.setFromStatus.run(from, u.id);
    from = u.to_status_id;
  }
}

function recordRun({
  runId,
  actorId,
  source,
  report,
}: {
  runId: number | undefined;
  actorId: number | null;
  source: string;
  report: ImportReport;
}): void {
  const client = db().$client;
  const now = new Date().toISOString();
  const json = JSON.stringify(report);
  let id = runId;
  if (id === undefined) {
    id = Number(
      client
        .prepare(`INSERT INTO import_runs (actor_id, file_name, file_path, state, report, started_at, finished_at)
          VALUES (?, ?, '', 'done', ?, ?, ?)`)
        .run(actorId, source, json, now, now).lastInsertRowid,
    );
  } else {
    client
      .prepare("UPDATE import_runs SET state = 'done', report = ?, finished_at = ? WHERE id = ?")
      .run(json, now, id);
  }
  const counts = Object.fromEntries(importKinds.map((k) => [k, report.counts[k]]));
  client
    .prepare(
      `INSERT INTO audit_entries (actor_id, action, subject_type, subject_id, after) VALUES (?, 'import.run', 'import', ?, ?)`,
    )
    .run(actorId, id, JSON.stringify({ file: source, ...counts }));
}

// ---------------------------------------------------------------- statements

type Statements = ReturnType<typeof statements>;

// Rows per multi-row insert: three values each, well under SQLite's limit of 32,766 variables.
const manyRows = 500;

// A statement that inserts `n` rows of three values, prepared once per row count.
function byRows(prepare: (values: string) => Statement) {
  const byCount = new Map<number, Statement>();
  return (n: number): Statement => {
    let statement = byCount.get(n);
    if (!statement) {
      statement = prepare(Array.from({ length: n }, () => "(?, ?, ?)").join(", "));
      byCount.set(n, statement);
    }
    return statement;
  };
}

// How many organizations an ask's voters belong to, counted as models/vote.server.ts counts it.
const organizationsOfVoters = (askId: string) =>
  `SELECT count(DISTINCT u.organization_id) FROM votes v JOIN users u ON u.id = v.user_id WHERE v.ask_id = ${askId}`;

// Prepared once per run: the write pass runs each of them up to a million times.
function statements() {
  const c = db().$client;
  return {
    selectNamed: {
      teams: c.prepare("SELECT id FROM teams WHERE name = ?"),
      categories: c.prepare("SELECT id FROM categories WHERE name = ?"),
    },
    insertNamed: {
      teams: c.prepare("INSERT INTO teams (name) VALUES (?)"),
      categories: c.prepare(
        "INSERT INTO categories (name, position) VALUES (?, coalesce(?, (SELECT coalesce(max(position), 0) + 1 FROM categories)))",
      ),
    },
    allStatuses: c.prepare("SELECT slug, id FROM statuses"),
    insertStatus: c.prepare(`INSERT INTO statuses (slug, name, color, position, is_closed, accepts_votes)
      VALUES (:slug, :name, :color, (SELECT coalesce(max(position), 0) + 1 FROM statuses), :closed, :votes)`),
    userByRef: c.prepare("SELECT * FROM users WHERE source_ref = ?"),
    confirmedUserByEmail: c.prepare(
      "SELECT * FROM users WHERE email = ? AND placeholder = 0 AND email_verified_at IS NOT NULL",
    ),
    placeholderByClaim: c.prepare("SELECT * FROM users WHERE claim_email = ? AND placeholder = 1 LIMIT 1"),
    insertPlaceholder: c.prepare(`INSERT INTO users
      (email, display_name, password_hash, role, organization_id, team_id, placeholder, claim_email, source_ref)
      VALUES (:email, :name, '', :role, :org, :team, 1, :claim, :ref)`),
    updatePlaceholder: c.prepare(`UPDATE users SET display_name = :name, role = :role, organization_id = :org,
      team_id = :team, claim_email = :claim, source_ref = :ref WHERE id = :id`),
    setUserRef: c.prepare("UPDATE users SET source_ref = ? WHERE id = ?"),
    askRefs: c.prepare("SELECT source_ref AS ref FROM asks WHERE source_ref IS NOT NULL"),
    maxAskId: c.prepare("SELECT max(id) AS id FROM asks"),
    askByRef: c.prepare("SELECT * FROM asks WHERE source_ref = ?"),
    askHashByRef: c.prepare("SELECT id, source_hash FROM asks WHERE source_ref = ?"),
    setAskHash: c.prepare("UPDATE asks SET source_hash = ? WHERE id = ?"),
    insertAsk: c.prepare(`INSERT INTO asks (id, title, slug, body, author_id, category_id, status_id, team_id,
        vote_count, comment_count, hidden_at, hidden_reason, source_ref, source_url, source_hash, extra_votes, created_at,
        updated_at)
      VALUES (:id, :title, :slug, :body, :author, :category, :status, :team, :votes, :comments, :hidden, :reason,
        :ref, :sourceUrl, :hash, :extra, :createdAt, :updatedAt)`),
    changeAsk:
      c.prepare(`UPDATE asks SET title = :title, slug = :slug, body = :body, author_id = :author, category_id = :category,
      status_id = :status, team_id = :team, source_url = :sourceUrl, extra_votes = :extra, created_at = :createdAt,
      hidden_at = :hidden, hidden_reason = :reason WHERE id = :id`),
    setDuplicateOf: c.prepare("UPDATE asks SET duplicate_of_id = ? WHERE id = ?"),
    standFromHistory: c.prepare(`UPDATE asks SET
        status_id = coalesce((SELECT to_status_id FROM status_updates WHERE ask_id = :id
          ORDER BY about_date DESC, recorded_at DESC, id DESC LIMIT 1), status_id),
        team_id = coalesce((SELECT team_id FROM status_updates WHERE ask_id = :id
          ORDER BY about_date DESC, recorded_at DESC, id DESC LIMIT 1), team_id)
      WHERE id = :id`),
    recountAsk: c.prepare(`UPDATE asks SET
        vote_count = extra_votes + (SELECT count(*) FROM votes WHERE ask_id = :id),
        comment_count = (SELECT count(*) FROM comments WHERE ask_id = :id AND deleted_at IS NULL AND hidden_at IS NULL),
        updated_at = max(updated_at, coalesce((SELECT max(created_at) FROM comments WHERE ask_id = :id), ''),
          coalesce((SELECT max(recorded_at) FROM status_updates WHERE ask_id = :id), ''))
      WHERE id = :id`),
    recountOrganizationsOfAsk: c.prepare(
      `UPDATE asks SET organization_count = (${organizationsOfVoters(":id")}) WHERE id = :id`,
    ),
    recountOrganizationsOfVoter: c.prepare(`UPDATE asks SET organization_count = (${organizationsOfVoters("asks.id")})
      WHERE id IN (SELECT ask_id FROM votes WHERE user_id = :id)`),
    updateByRef: c.prepare("SELECT * FROM status_updates WHERE ask_id = ? AND source_ref = ?"),
    insertUpdate: c.prepare(`INSERT INTO status_updates
      (ask_id, from_status_id, to_status_id, team_id, author_id, note, about_date, recorded_at, source_ref)
      VALUES (:ask, :from, :to, :team, :author, :note, :date, :recorded, :ref)`),
    changeUpdate: c.prepare(`UPDATE status_updates SET to_status_id = :to, team_id = :team, author_id = :author,
      note = :note, about_date = :date, recorded_at = :recorded WHERE id = :id`),
    updatesInOrder: c.prepare(
      "SELECT id, from_status_id, to_status_id FROM status_updates WHERE ask_id = ? ORDER BY about_date, recorded_at, id",
    ),
    setFromStatus: c.prepare("UPDATE status_updates SET from_status_id = ? WHERE id = ?"),
    linksOf: c.prepare("SELECT url, title FROM resolution_links WHERE status_update_id = ? ORDER BY id"),
    deleteLinks: c.prepare("DELETE FROM resolution_links WHERE status_update_id = ?"),
    insertLink: c.prepare("INSERT INTO resolution_links (status_update_id, ask_id, url, title) VALUES (?, ?, ?, ?)"),
    commentByRef: c.prepare("SELECT * FROM comments WHERE ask_id = ? AND source_ref = ?"),
    insertComment: c.prepare(`INSERT INTO comments (ask_id, author_id, body, created_at, is_official, hidden_at,
      hidden_reason, source_ref) VALUES (:ask, :author, :body, :at, :official, :hidden, :reason, :ref)`),
    changeComment: c.prepare(`UPDATE comments SET author_id = :author, body = :body, created_at = :at,
      is_official = :official, hidden_at = :hidden, hidden_reason = :reason WHERE id = :id`),
    insertVote: c.prepare("INSERT OR IGNORE INTO votes (ask_id, user_id, created_at) VALUES (?, ?, ?)"),
    insertVotes: byRows((values) => c.prepare(`INSERT INTO votes (ask_id, user_id, created_at) VALUES ${values}`)),
    followVoters: byRows((values) =>
      c.prepare(
        `INSERT OR IGNORE INTO subscriptions (ask_id, user_id, reason, created_at)
          SELECT column1, column2, 'voted', column3 FROM (VALUES ${values}) WHERE true`,
      ),
    ),
    follow: c.prepare("INSERT OR IGNORE INTO subscriptions (ask_id, user_id, reason, created_at) VALUES (?, ?, ?, ?)"),
  };
}
