// `npm start` builds only when the production build is missing or older than
// the sources, so a second start is instant and a fresh clone just works.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const output = "build/index.js";
const sources = ["app", "remix.config.js", "package-lock.json"];

function newestChange(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

const stale = !existsSync(output) || sources.some((s) => existsSync(s) && newestChange(s) > statSync(output).mtimeMs);
if (stale) {
  console.log("Building Asklog…");
  // Always a production build, whatever NODE_ENV the caller runs under (vitest sets "test").
  execSync("npx remix build", { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
}
