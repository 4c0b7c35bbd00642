import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server on 127.0.0.1 and a free port, keeping every message it accepts (parsed
// with mailparser). Tests send through it exactly as production sends to a real server.
export type Mailbox = {
  url: string;
  messages: ParsedMail[];
  // Replies 550 to these recipients (a permanent refusal, like a mailbox that does not exist).
  refuse: Set<string>;
  // While true, every message gets 421 (the server is there but not taking mail).
  down: boolean;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  to(address: string): ParsedMail[];
  close(): Promise<void>;
};

export async function startMailbox(): Promise<Mailbox> {
  const messages: ParsedMail[] = [];
  const refuse = new Set<string>();
  const state = { down: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // A reverse DNS lookup per connection would wait on a resolver the tests must not need.
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error("No such mailbox"), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      if (state.down) {
        stream.resume();
        stream.on("end", () => callback(Object.assign(new Error("Try again later"), { responseCode: 421 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  // A client that dies mid-session (a killed server process) resets its connection: expected
  // here, and not a reason to stop the mailbox.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuse,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`Expected ${count} messages, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return messages;
    },
    to(address) {
      return messages.filter((m) => {
        const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
        return to.some((a) => a.value.some((v) => v.address?.toLowerCase() === address.toLowerCase()));
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
