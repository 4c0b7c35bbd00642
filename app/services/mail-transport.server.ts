import { createTransport, type Transporter } from "nodemailer";
import type { OutboxRow } from "~/models/outbox.server";

export type SendFailure = { message: string; permanent: boolean; recipientRefused: boolean };

export type MailTransport = {
  // "smtp", or "mailbox" when mail stays in the database for /admin/mail.
  via: "smtp" | "mailbox";
  send(row: OutboxRow): Promise<void>;
  close(): void;
};

// Without SMTP_URL mail is "delivered" by keeping it: the row is already the message, and
// /admin/mail shows it as the recipient would see it.
const mailbox: MailTransport = { via: "mailbox", send: async () => {}, close: () => {} };

export function mailTransport({ smtpUrl, from }: { smtpUrl: string | undefined; from: string }): MailTransport {
  if (!smtpUrl) return mailbox;
  // A pool keeps connections open between messages: a burst of mail does not pay a TLS
  // handshake per message. Timeouts bound how long a server that stopped answering can hold a
  // message, well inside the worker's lease.
  const transporter: Transporter = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    via: "smtp",
    async send(row) {
      await transporter.sendMail({
        from,
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        headers: JSON.parse(row.headers) as Record<string, string>,
        // The outbox id makes the Message-ID stable: a resend after a crash is recognisable.
        messageId: `<outbox-${row.id}.${row.createdAt.replace(/\D/g, "")}@asklog>`,
      });
    },
    close: () => transporter.close(),
  };
}

// A 5xx reply is permanent: retrying cannot help. Refusing the recipient (RCPT TO) means the
// address itself is bad, which stops mail to it.
export function describeFailure(error: unknown): SendFailure {
  const message = error instanceof Error ? error.message : String(error);
  const details = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof details.responseCode === "number" ? details.responseCode : 0;
  const permanent = code >= 500 && code < 600;
  const recipientRefused = permanent && (details.code === "EENVELOPE" || details.command === "RCPT TO");
  return { message, permanent, recipientRefused };
}
