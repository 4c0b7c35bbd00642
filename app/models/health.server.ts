import { db } from "../../db/client";

export type DatabaseHealth = { ok: true; migrations: number; asks: number } | { ok: false; error: string };

// A cheap read that touches the schema the app needs: enough to tell a load
// balancer whether this process can serve, without scanning a large file.
export function databaseHealth(): DatabaseHealth {
  try {
    const sqlite = db().$client;
    const migrations = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    const asks = sqlite.prepare("SELECT max(id) AS n FROM asks").get() as { n: number | null };
    return { ok: true, migrations: migrations.n, asks: asks.n ?? 0 };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
