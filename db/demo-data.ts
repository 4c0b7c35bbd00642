import { type BuiltInStatusSlug, isBuiltInStatus } from "../app/domain";
import { type ImportRole, importDocument } from "../app/validation/import-format";
import demoData from "./demo-data.json";

// The demo data (demo-data.json, in the import format) as the bench data generator reads it
// for its vocabulary: people by key, asks with plain dates and voters by key. The seed does not
// use this: it imports the file like any other (db/seed.ts).
// All people, organizations and e-mail addresses are fictional (example domains only).

export type DemoUser = {
  key: string;
  email: string;
  displayName: string;
  organization?: string;
  team?: string;
  role: "member" | "team" | "admin";
};
export type DemoStatusUpdate = {
  date: string;
  team: string;
  author: string;
  status: BuiltInStatusSlug;
  note: string;
  links?: { url: string; title: string }[];
};
export type DemoComment = { author: string; date: string; body: string };
export type DemoAsk = {
  title: string;
  body: string;
  author: string;
  category: string;
  createdAt: string;
  votes: string[];
  statusUpdates: DemoStatusUpdate[];
  comments: DemoComment[];
};

const roleOf: Record<ImportRole, DemoUser["role"]> = { partner: "member", team: "team", admin: "admin" };
const day = (moment: string) => moment.slice(0, 10);

// The demo data uses only the statuses every Asklog has.
function builtIn(slug: string): BuiltInStatusSlug {
  if (!isBuiltInStatus(slug)) throw new Error(`The demo data names a status that is not built in: ${slug}`);
  return slug;
}

const data = importDocument.parse(demoData);

export const demoTeams: string[] = (data.teams ?? []).map((t) => t.name);
export const demoCategories: string[] = (data.categories ?? []).map((c) => c.name);
export const demoUsers: DemoUser[] = (data.people ?? []).map((p) => ({
  key: p.ref,
  email: p.email ?? "",
  displayName: p.name,
  ...(p.organization ? { organization: p.organization } : {}),
  ...(p.team ? { team: p.team } : {}),
  role: roleOf[p.role ?? "partner"],
}));
export const demoAsks: DemoAsk[] = (data.asks ?? []).map((a) => ({
  title: a.title,
  body: a.body,
  author: a.author,
  category: a.category,
  createdAt: day(a.createdAt),
  votes: (a.votes ?? []).map((v) => (typeof v === "string" ? v : v.person)),
  statusUpdates: (a.statusUpdates ?? []).map((u) => ({
    date: u.date,
    team: u.team ?? "",
    author: u.author ?? "",
    status: builtIn(u.status),
    note: u.note,
    ...(u.links ? { links: u.links } : {}),
  })),
  comments: (a.comments ?? []).map((c) => ({ author: c.author, date: day(c.createdAt), body: c.body })),
}));
