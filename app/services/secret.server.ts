import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { settings } from "~/settings.server";
import { databasePath } from "../../db/client";

// SESSION_SECRET wins when set. Otherwise a random secret is generated once and
// kept next to the database, so sign-ins survive restarts without any setup and
// no deployment ever runs on a secret that is known to the world.
export function sessionSecret(): string {
  return settings().sessionSecret ?? storedSecret(join(dirname(databasePath()), "session-secret"));
}

// Processes starting at once on a fresh data folder must all end up with the same
// secret, or each would reject the others' cookies. The secret is written whole to a
// file of this process's own, then linked into place: link() fails if the name exists,
// so exactly one process's secret wins, and no reader ever sees a half-written file.
function storedSecret(file: string): string {
  try {
    return readSecret(file);
  } catch (error) {
    if (codeOf(error) !== "ENOENT") throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  try {
    linkSync(draft, file);
  } catch (error) {
    // Another process linked its secret first: that one is read below.
    if (codeOf(error) !== "EEXIST") throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readSecret(file);
}

function readSecret(file: string): string {
  const secret = readFileSync(file, "utf8").trim();
  if (!secret) throw new Error(`${file} is empty: delete it to have a new secret generated, or set SESSION_SECRET.`);
  return secret;
}

function codeOf(error: unknown): unknown {
  return error instanceof Error && "code" in error ? error.code : undefined;
}
