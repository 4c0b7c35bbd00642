import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import argon2 from "argon2";
import { inArray } from "drizzle-orm";
import { activateImportedPeople } from "../app/models/claim.server";
import { runImport } from "../app/models/import.server";
import { openImportSource } from "../app/services/import-source.server";
import { personRecord } from "../app/validation/import-format";
import { z } from "../app/validation/zod";
import { type Db, db } from "./client";
import { users } from "./schema";

export const demoPassword = "asklog-demo";
export const demoSignIns = [
  { email: "dana@contoso.example", role: "partner (Contoso)" },
  { email: "tariq@asklog.example", role: "program team member (EPX)" },
  { email: "admin@asklog.example", role: "admin" },
];

// The demo data is an ordinary import file (docs/import-format.md): it goes in through the
// importer, so what a newcomer sees at first start is what an import makes.
export const demoDataPath = fileURLToPath(new URL("./demo-data.json", import.meta.url));

// When the demo people joined and confirmed their (made-up, .example) addresses: mail to them
// stays in the app without SMTP_URL, where it shows what followers are told.
const demoJoinedAt = "2021-01-04T09:00:00.000Z";

export function hasDemoSignIns(database: Db = db()): boolean {
  const emails = demoSignIns.map((s) => s.email);
  return database.select({ id: users.id }).from(users).where(inArray(users.email, emails)).limit(1).get() !== undefined;
}

export function isEmpty(database: Db = db()): boolean {
  return database.select({ id: users.id }).from(users).limit(1).get() === undefined;
}

export async function seedDemo(): Promise<void> {
  const report = await runImport({ source: await openImportSource(demoDataPath), actorId: null });
  // The file ships with the app: an error in it is a fault, not something to load half of.
  if (!report.ok) {
    const errors = report.errors.map((e) => `${e.place}: ${e.message}`).join("\n");
    throw new Error(`The demo data does not import:\n${errors}`);
  }
  // Imported people cannot sign in until they claim their address; the demo people can at
  // once, all with the documented demo password, hashed once for all of them.
  const { people } = z.object({ people: z.array(personRecord) }).parse(JSON.parse(readFileSync(demoDataPath, "utf8")));
  const emails = people.flatMap((p) => (p.email ? [p.email] : []));
  const passwordHash = await argon2.hash(demoPassword, { type: argon2.argon2id });
  db().transaction(
    (tx) => {
      activateImportedPeople(tx, { emails, passwordHash, verifiedAt: demoJoinedAt });
      tx.update(users).set({ createdAt: demoJoinedAt }).where(inArray(users.email, emails)).run();
    },
    { behavior: "immediate" },
  );
}
