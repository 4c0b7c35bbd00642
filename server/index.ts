import type { ServerBuild } from "@remix-run/node";
import { mailTransport } from "~/services/mail-transport.server";
import { closeDb } from "../db/client";
import { demoPassword, demoSignIns, hasDemoSignIns } from "../db/seed";
import { createApp } from "./app";
import { settingsOrExit } from "./env";
import { startOutboxWorker } from "./outbox-worker";
import { startup } from "./startup";

// `npm start`: check the settings, run the release step, then serve the production build.
const settings = settingsOrExit();
// React and Express pick their production code by NODE_ENV, which `npm start` leaves unset:
// they get the same answer as our own settings, production unless told otherwise.
process.env.NODE_ENV = settings.nodeEnv;
await startup(settings);

// A path held in a variable: the build is created by `npm run build`, not checked in.
const buildPath = "../build/index.js";
const build: ServerBuild = await import(buildPath);

const worker = settings.mail.inlineWorker
  ? startOutboxWorker({ transport: mailTransport(settings.mail), maxAttempts: settings.mail.maxAttempts })
  : undefined;

const server = createApp(build, settings).listen(settings.port, settings.host, () => {
  console.log(`Asklog is running at http://localhost:${settings.port}`);
  if (!settings.mail.smtpUrl) console.log("No SMTP_URL set: mail is kept in the app, for admins at /admin/mail");
  if (hasDemoSignIns()) {
    console.log(`Sign in with the password "${demoPassword}" as:`);
    for (const s of demoSignIns) console.log(`  ${s.email.padEnd(24)} ${s.role}`);
  }
});

function shutdown() {
  server.close(async () => {
    await worker?.stop();
    closeDb();
    process.exit(0);
  });
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
