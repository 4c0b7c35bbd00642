// `npm start` builds only when the production build is missing or older than
// the sources, so a second start is instant and a fresh clone just works.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const output = "build/index.js";
// db/ is bundled into the build along with app/ (server/ is not: it loads the build).
const sources = ["app", "db", "remix.config.js", "package-lock.json"];
// Test runs and scripts may start servers side by side; only one of them may write build/ at a time.
const lock = "build.lock";

function newestChange(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function isStale() {
  return !existsSync(output) || sources.some((s) => existsSync(s) && newestChange(s) > statSync(output).mtimeMs);
}

async function takeLock() {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock left by a killed build is older than any real build takes.
      if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// The compiler's progress lines and notices are noise on a start that works: they are
// shown only when the build fails, with its exit code.
function build() {
  const result = spawnSync("npx", ["remix", "build"], {
    encoding: "utf8",
    // Always a production build, whatever NODE_ENV the caller runs under (vitest sets "test").
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status === 0) return;
  process.stderr.write(`The build failed:\n${result.stdout ?? ""}${result.stderr ?? ""}${result.error ?? ""}\n`);
  process.exitCode = result.status || 1;
}

if (isStale()) {
  await takeLock();
  try {
    // Another process may have built while this one waited.
    if (isStale()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
