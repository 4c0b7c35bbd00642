import { db } from "../../db/client";

export type DatabaseHealth = { ok: true; migrations: number; asks: number } | { ok: false; error: string };

// A cheap read that touches the schema the app needs: enough to tell a load
// balancer whether this process can serve, without scanning a large file.
export function databaseHealth(): DatabaseHealth {
  try {
    const sqlite = db().$client;
    const migrations = Number(sqlite.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get());
    const asks = Number(sqlite.prepare("SELECT coalesce(max(id), 0) FROM asks").pluck().get());
    return { ok: true, migrations, asks };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
