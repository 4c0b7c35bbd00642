import { mailTransport } from "~/services/mail-transport.server";
import { closeDb } from "../db/client";
import { settingsOrExit } from "./env";
import { startOutboxWorker } from "./outbox-worker";
import { startup } from "./startup";

// `npm run worker`: the outbox worker as a process of its own, for when the web processes run
// with OUTBOX_WORKER=off. It shares the release step, so it can start first or alone.
const settings = settingsOrExit();
await startup(settings);
const worker = startOutboxWorker({ transport: mailTransport(settings.mail), maxAttempts: settings.mail.maxAttempts });
console.log(
  settings.mail.smtpUrl ? "Asklog worker: sending mail" : "Asklog worker: no SMTP_URL, keeping mail in the app",
);

async function shutdown() {
  await worker.stop();
  closeDb();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
