import cluster from "node:cluster";
import { createServer } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { forgetExpiredDeletions } from "~/models/comment.server";
import { mailTransport } from "~/services/mail-transport.server";
import { closeDb } from "../db/client";
import { demoPassword, demoSignIns, hasDemoSignIns } from "../db/seed";
import { createApp } from "./app";
import { hasOutboxRole, runWebProcesses } from "./cluster";
import { settingsOrExit } from "./env";
import { startOutboxWorker } from "./outbox-worker";
import { startup } from "./startup";

// `npm start`: check the settings, run the release step once, then serve the production build,
// from this process (WEB_CONCURRENCY=1) or from WEB_CONCURRENCY web processes on the one port.
const settings = settingsOrExit();
// React picks its production code by NODE_ENV, which `npm start` leaves unset:
// it gets the same answer as our own settings, production unless told otherwise.
process.env.NODE_ENV = settings.nodeEnv;

// A path held in a variable: the build is created by `npm run build`, not checked in.
const buildPath = "../build/index.js";

function banner(): string[] {
  const lines = [`Asklog is running at http://localhost:${settings.port}`];
  if (!settings.mail.smtpUrl) lines.push("No SMTP_URL set: mail is kept in the app, for admins at /admin/mail");
  if (hasDemoSignIns()) {
    lines.push(`Sign in with the password "${demoPassword}" as:`);
    for (const s of demoSignIns) lines.push(`  ${s.email.padEnd(24)} ${s.role}`);
  }
  return lines;
}

// One web process: the app on the port, and the outbox worker if this process has that role.
// SIGTERM or SIGINT stops taking connections, lets the requests in flight finish, stops the
// worker and closes the database.
async function serve({ outboxWorker, onListening }: { outboxWorker: boolean; onListening?: () => void }) {
  const build: ServerBuild = await import(buildPath);
  const worker = outboxWorker
    ? startOutboxWorker({ transport: mailTransport(settings.mail), maxAttempts: settings.mail.maxAttempts })
    : undefined;
  const server = createServer(createApp(build, settings)).listen(settings.port, settings.host, onListening);
  let stopping = false;
  const shutdown = () => {
    // A Ctrl-C reaches every process of the group, and the primary passes it on as SIGTERM.
    if (stopping) return;
    stopping = true;
    server.close(async () => {
      await worker?.stop();
      closeDb();
      process.exit(0);
    });
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (cluster.isWorker) {
  // A process that died took its timers along, among them the one that forgets the text of a
  // comment once its undo window has passed; the release step that does it runs only once.
  forgetExpiredDeletions();
  await serve({ outboxWorker: hasOutboxRole() });
} else {
  await startup(settings);
  if (settings.webConcurrency === 1) {
    await serve({
      outboxWorker: settings.mail.inlineWorker,
      onListening: () => console.log(banner().join("\n")),
    });
  } else {
    const lines = banner();
    // The web processes open connections of their own; the primary needs none while it waits.
    closeDb();
    runWebProcesses({
      count: settings.webConcurrency,
      outboxWorker: settings.mail.inlineWorker,
      onListening: () => console.log(lines.join("\n")),
    });
  }
}
