import type Database from "better-sqlite3";
import type { Role } from "~/domain";
import {
  type AskRecord,
  type CommentRecord,
  formatName,
  formatVersion,
  type ImportDocument,
  type ImportRole,
  type PersonRecord,
  type StatusRecord,
  type StatusUpdateRecord,
  type VoteRecord,
} from "~/validation/import-format";
import { databasePath, db, openDatabase } from "../../db/client";

// Taking history out, in the format the importer reads (docs/import-format.md): an export
// imported into an empty Asklog gives the same asks, histories, counts and dates.
//
// "admin" is everything: hidden asks and comments, people's addresses, who voted.
// "public" is what a visitor can read: no hidden asks or comments, no addresses, and votes as
// a count only, since who voted for what is not shown to partners.
export type ExportAudience = "admin" | "public";

const roleOf: Record<Role, ImportRole> = { member: "partner", team: "team", admin: "admin" };
// Asks are read in batches by number, so memory stays flat however big the site is.
const batchSize = 500;

type Row = Record<string, unknown>;
type Ids = { from: number; to: number };

// The whole site, as a stream of JSON text. It reads on a connection of its own inside one
// read transaction: a consistent snapshot, while the site goes on taking writes.
export function siteExport(audience: ExportAudience): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = exportChunks(audience);
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export async function* exportChunks(audience: ExportAudience): AsyncGenerator<string> {
  const database = openDatabase(databasePath());
  const client = database.$client;
  client.exec("BEGIN");
  try {
    const read = reader(client, audience);
    yield `{"format":${JSON.stringify(formatName)},"version":${formatVersion},\n`;
    yield `"teams":${JSON.stringify(read.teams())},\n`;
    yield `"categories":${JSON.stringify(read.categories())},\n`;
    yield `"statuses":${JSON.stringify(read.statuses())},\n"people":[`;
    let first = true;
    for (const person of read.people()) {
      yield `${first ? "\n" : ",\n"}${JSON.stringify(person)}`;
      first = false;
    }
    yield `],\n"asks":[`;
    first = true;
    const last = (client.prepare("SELECT max(id) AS id FROM asks").get() as { id: number | null }).id ?? 0;
    for (let from = 1; from <= last; from += batchSize) {
      let text = "";
      for (const ask of read.asks({ from, to: from + batchSize - 1 })) {
        text += `${first ? "\n" : ",\n"}${JSON.stringify(ask)}`;
        first = false;
      }
      if (text) yield text;
    }
    yield "\n]}\n";
  } finally {
    client.exec("COMMIT");
    client.close();
  }
}

// One ask with the people, teams, categories and statuses it names: a document the importer
// takes as it is.
export function askExport(askId: number, audience: ExportAudience): ImportDocument | undefined {
  const read = reader(db().$client, audience);
  const [ask] = read.asks({ from: askId, to: askId });
  if (!ask) return undefined;
  const refs = new Set<string>([ask.author]);
  for (const u of ask.statusUpdates ?? []) if (u.author) refs.add(u.author);
  for (const c of ask.comments ?? []) refs.add(c.author);
  for (const v of ask.votes ?? []) refs.add(typeof v === "string" ? v : v.person);
  const people = read.people().filter((p) => refs.has(p.ref));
  const teams = new Set([ask.team, ...(ask.statusUpdates ?? []).map((u) => u.team), ...people.map((p) => p.team)]);
  const statuses = new Set([ask.status, ...(ask.statusUpdates ?? []).map((u) => u.status)]);
  return {
    format: formatName,
    version: formatVersion,
    teams: read.teams().filter((t) => teams.has(t.name)),
    categories: [{ name: ask.category }],
    statuses: read.statuses().filter((s) => statuses.has(s.slug)),
    people,
    asks: [ask],
  };
}

// Everything here is only read, so plain SQL on the given connection: the export may run on a
// connection of its own, outside drizzle's single shared one.
function reader(client: Database.Database, audience: ExportAudience) {
  const admin = audience === "admin";
  const personRef = (id: number, ref: unknown) => (typeof ref === "string" ? ref : `asklog-person-${id}`);
  const people = new Map<number, string>();
  const refOf = (id: number): string => {
    let ref = people.get(id);
    if (ref === undefined) {
      const row = client.prepare("SELECT source_ref FROM users WHERE id = ?").get(id) as Row | undefined;
      ref = personRef(id, row?.source_ref);
      people.set(id, ref);
    }
    return ref;
  };
  const byId = (sql: string) => client.prepare(sql);
  const q = {
    asks: byId(`SELECT a.*, s.slug AS status_slug, c.name AS category_name, t.name AS team_name
      FROM asks a JOIN statuses s ON s.id = a.status_id JOIN categories c ON c.id = a.category_id
      LEFT JOIN teams t ON t.id = a.team_id
      WHERE a.id BETWEEN :from AND :to ${admin ? "" : "AND a.hidden_at IS NULL"} ORDER BY a.id`),
    duplicateRef: byId("SELECT id, source_ref FROM asks WHERE id = ?"),
    updates: byId(`SELECT u.*, s.slug AS status_slug, t.name AS team_name FROM status_updates u
      JOIN statuses s ON s.id = u.to_status_id LEFT JOIN teams t ON t.id = u.team_id
      WHERE u.ask_id BETWEEN :from AND :to ORDER BY u.ask_id, u.about_date, u.recorded_at, u.id`),
    links: byId(`SELECT status_update_id, url, title FROM resolution_links
      WHERE ask_id BETWEEN :from AND :to ORDER BY id`),
    comments: byId(`SELECT * FROM comments WHERE ask_id BETWEEN :from AND :to AND deleted_at IS NULL
      ${admin ? "" : "AND hidden_at IS NULL"} ORDER BY ask_id, created_at, id`),
    votes: byId(
      "SELECT ask_id, user_id, created_at FROM votes WHERE ask_id BETWEEN :from AND :to ORDER BY ask_id, created_at, user_id",
    ),
  };
  const grouped = <T extends Row>(rows: T[], key: string) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const id = row[key] as number;
      const list = map.get(id);
      if (list) list.push(row);
      else map.set(id, [row]);
    }
    return map;
  };

  return {
    teams: () =>
      (client.prepare("SELECT name FROM teams ORDER BY id").all() as { name: string }[]).map((t) => ({ name: t.name })),
    categories: () =>
      (client.prepare("SELECT name FROM categories ORDER BY position, id").all() as { name: string }[]).map((c) => ({
        name: c.name,
      })),
    statuses: (): StatusRecord[] =>
      (
        client.prepare("SELECT slug, name, is_closed, accepts_votes FROM statuses ORDER BY position, id").all() as Row[]
      ).map((s) => ({
        slug: s.slug as string,
        name: s.name as string,
        closed: s.is_closed === 1,
        acceptsVotes: s.accepts_votes === 1,
      })),
    people: (): PersonRecord[] =>
      (
        client
          .prepare(`SELECT u.id, u.email, u.display_name, u.role, u.placeholder, u.claim_email, u.source_ref,
            o.name AS organization, t.name AS team FROM users u
            LEFT JOIN organizations o ON o.id = u.organization_id LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.id`)
          .all() as Row[]
      ).map((u) => {
        const ref = personRef(u.id as number, u.source_ref);
        people.set(u.id as number, ref);
        // A placeholder's own address is made up; the one it can be claimed by is the real one.
        const email = (u.placeholder === 1 ? u.claim_email : u.email) as string | null;
        return {
          ref,
          name: u.display_name as string,
          ...(u.organization ? { organization: u.organization as string } : {}),
          ...(admin && email ? { email } : {}),
          role: roleOf[u.role as Role],
          ...(u.team ? { team: u.team as string } : {}),
        };
      }),
    asks: (ids: Ids): AskRecord[] => {
      const rows = q.asks.all(ids) as Row[];
      if (rows.length === 0) return [];
      const updates = grouped(q.updates.all(ids) as Row[], "ask_id");
      const links = grouped(q.links.all(ids) as Row[], "status_update_id");
      const comments = grouped(q.comments.all(ids) as Row[], "ask_id");
      const votes = admin ? grouped(q.votes.all(ids) as Row[], "ask_id") : new Map<number, Row[]>();
      return rows.map((a) => {
        const id = a.id as number;
        const duplicate = a.duplicate_of_id ? (q.duplicateRef.get(a.duplicate_of_id) as Row | undefined) : undefined;
        const statusUpdates: StatusUpdateRecord[] = (updates.get(id) ?? []).map((u) => {
          const own = (links.get(u.id as number) ?? []).map((l) => ({
            url: l.url as string,
            title: l.title as string,
          }));
          return {
            ref: (u.source_ref as string | null) ?? `asklog-update-${u.id}`,
            date: u.about_date as string,
            ...(u.team_name ? { team: u.team_name as string } : {}),
            status: u.status_slug as string,
            note: u.note as string,
            author: refOf(u.author_id as number),
            recordedAt: u.recorded_at as string,
            ...(own.length > 0 ? { links: own } : {}),
          };
        });
        const commentList: CommentRecord[] = (comments.get(id) ?? []).map((c) => ({
          ref: (c.source_ref as string | null) ?? `asklog-comment-${c.id}`,
          author: refOf(c.author_id as number),
          createdAt: c.created_at as string,
          body: c.body as string,
          ...(c.is_official === 1 ? { official: true } : {}),
          ...(c.hidden_at ? { hiddenAt: c.hidden_at as string, hiddenReason: (c.hidden_reason as string) ?? "" } : {}),
        }));
        const voteList: VoteRecord[] = (votes.get(id) ?? []).map((v) => ({
          person: refOf(v.user_id as number),
          at: v.created_at as string,
        }));
        return {
          ref: (a.source_ref as string | null) ?? `asklog-ask-${id}`,
          title: a.title as string,
          body: a.body as string,
          author: refOf(a.author_id as number),
          category: a.category_name as string,
          createdAt: a.created_at as string,
          ...(a.source_url ? { sourceUrl: a.source_url as string } : {}),
          status: a.status_slug as string,
          ...(a.team_name ? { team: a.team_name as string } : {}),
          ...(duplicate
            ? { duplicateOf: (duplicate.source_ref as string | null) ?? `asklog-ask-${duplicate.id}` }
            : {}),
          ...(a.hidden_at ? { hiddenAt: a.hidden_at as string, hiddenReason: (a.hidden_reason as string) ?? "" } : {}),
          ...(admin ? { votes: voteList } : {}),
          // Visitors see how many voted, not who: the count travels as votes without voters.
          ...(admin
            ? a.extra_votes
              ? { extraVotes: a.extra_votes as number }
              : {}
            : { extraVotes: a.vote_count as number }),
          statusUpdates,
          comments: commentList,
        };
      });
    },
  };
}
