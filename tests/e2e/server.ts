import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIfNeeded, freePort, ServerProcess } from "../../scripts/server-process";

export type RunningServer = {
  baseUrl: string;
  databasePath: string;
  // Everything the server printed so far: the startup banner, JSON request and error lines.
  output: () => string;
  stop: () => Promise<void>;
};

// The production build, started the way the crash test and soak start it, on a fresh
// database with the demo data.
export async function startAsklog(env: Record<string, string> = {}): Promise<RunningServer> {
  buildIfNeeded();
  const dir = mkdtempSync(join(tmpdir(), "asklog-e2e-"));
  const databasePath = join(dir, "asklog.db");
  const server = new ServerProcess({ databasePath, port: await freePort(), env: { SEED_DEMO: "1", ...env } });
  await server.start();
  return {
    baseUrl: server.base,
    databasePath,
    output: () => server.output,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
