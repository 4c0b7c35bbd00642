import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildIfNeeded,
  Client,
  freePort,
  freshGet,
  host,
  running,
  ServerProcess,
  waitUntil,
} from "../../scripts/server-process";
import { type Mailbox, startMailbox } from "../support/smtp-mailbox";

// WEB_CONCURRENCY=2: two web processes behind one port, started by a primary that ran the
// release step once. What an operator relies on: both serve, a dead one is replaced, exactly
// one sends mail, and a stop lets the requests in flight finish.

const dirs: string[] = [];
const servers: ServerProcess[] = [];

async function startCluster(env: Record<string, string> = {}): Promise<ServerProcess> {
  buildIfNeeded();
  const dir = mkdtempSync(join(tmpdir(), "asklog-cluster-"));
  dirs.push(dir);
  const server = new ServerProcess({
    databasePath: join(dir, "asklog.db"),
    port: await freePort(),
    env: { SEED_DEMO: "1", RATE_LIMITS: "off", WEB_CONCURRENCY: "2", ...env },
  });
  servers.push(server);
  await server.start();
  // start() returns at the first 200; the second process may still be loading the build.
  await waitUntil(() => (server.output.includes("Asklog is running at") ? true : undefined), 60_000, 50);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// The pids /healthz names over `count` requests, each on a connection of its own.
async function answeringPids(server: ServerProcess, count: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < count; i++) pids.add(await server.answeringPid());
  return pids;
}

// The processes among `pids` holding a TCP connection whose other end is `port` on this machine:
// the sockets in /proc/net/tcp with that remote port, found among each process's open files.
function processesConnectedTo(port: number, pids: number[]): number[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set(
    readFileSync("/proc/net/tcp", "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // remote address, state 01 (established), inode
      .filter((fields) => fields[2]?.endsWith(`:${hexPort}`) && fields[3] === "01")
      .map((fields) => `socket:[${fields[9]}]`),
  );
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

// Once every web process has stopped taking connections, the primary closes the port.
async function refusesConnections(port: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const outcome = await new Promise<string>((resolve) => {
      const probe = connect(port, host);
      probe.once("connect", () => {
        probe.destroy();
        resolve("accepted");
      });
      probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    if (outcome === "ECONNREFUSED") return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe("two web processes", () => {
  let server: ServerProcess;
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startCluster({ SMTP_URL: mailbox.url });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await mailbox?.close();
  });

  it("ran the release step once: the primary printed one banner, after both processes listened", () => {
    const banner = server.output.split("\n").filter((line) => line && !line.startsWith("{"));
    expect(banner.filter((line) => line.startsWith("Asklog is running at"))).toHaveLength(1);
    expect(banner).toEqual([
      `Asklog is running at http://localhost:${new URL(server.base).port}`,
      'Sign in with the password "asklog-demo" as:',
      expect.stringMatching(/^ {2}dana@contoso\.example +partner/),
      expect.stringMatching(/^ {2}tariq@asklog\.example +program team member/),
      expect.stringMatching(/^ {2}admin@asklog\.example +admin$/),
    ]);
  });

  it("answers from both processes, and neither is the primary", async () => {
    const web = server.webPids();
    expect(web).toHaveLength(2);
    expect(web).not.toContain(server.pid());
    let seen = new Set<number>();
    for (let round = 0; round < 10 && seen.size < 2; round++)
      seen = new Set([...seen, ...(await answeringPids(server, 20))]);
    expect([...seen].sort()).toEqual([...web].sort());
  });

  it("sends each mail once, from one process only, and the replacement of that process takes over", async () => {
    const client = new Client(server.base);
    const askReset = async () => {
      const reply = await client.post("/forgot-password", { intent: "send-reset", email: "dana@contoso.example" });
      expect(reply.status, reply.body.slice(0, 300)).toBe(302);
    };
    for (let i = 0; i < 4; i++) await askReset();
    await mailbox.waitFor(4);
    const port = Number(new URL(mailbox.url).port);
    const senders = processesConnectedTo(port, server.webPids());
    expect(senders).toHaveLength(1);
    const [sender = 0] = senders;

    process.kill(sender, "SIGKILL");
    const replaced = await waitUntil(
      () => {
        const web = server.webPids().filter(running);
        return web.length === 2 && !web.includes(sender) ? web : undefined;
      },
      30_000,
      50,
    );
    expect(replaced, server.output.slice(-2000)).toBeDefined();
    await askReset();
    await mailbox.waitFor(5);
    const newSenders = processesConnectedTo(port, server.webPids());
    expect(newSenders).toHaveLength(1);
    expect(newSenders).not.toContain(sender);
    // Each reset asked for arrived once, and nothing more.
    expect(mailbox.to("dana@contoso.example")).toHaveLength(5);
    expect(mailbox.messages).toHaveLength(5);
  });

  it("replaces a web process killed with SIGKILL while requests keep succeeding", async () => {
    const [victim = 0, survivor] = server.webPids();
    process.kill(victim, "SIGKILL");
    // A connection handed to the process in the moment it died is lost with it, as with one
    // process; from the moment the primary sees the death, the others take every connection.
    const noticed = `"message":"web process exited; starting another","pid":${victim},`;
    expect(await waitUntil(() => (server.output.includes(noticed) ? true : undefined), 10_000, 10)).toBe(true);
    let replacement: number | undefined;
    let requests = 0;
    // Bounded below the test's own limit: a replacement loads the whole build before it listens.
    const until = Date.now() + 45_000;
    while (replacement === undefined && Date.now() < until) {
      const reply = await freshGet(`${server.base}/healthz`);
      requests += 1;
      expect(reply.status).toBe(200);
      const { pid } = JSON.parse(reply.body) as { pid: number };
      expect(pid).not.toBe(victim);
      if (pid !== survivor) replacement = pid;
    }
    expect(replacement, `no other process answered in ${requests} requests`).toBeDefined();
    expect((await freshGet(`${server.base}/`)).status).toBe(200);
  });
});

describe("SIGTERM to the primary", () => {
  it("lets a request in flight finish with 200, then every process exits and the primary with 0", async () => {
    const server = await startCluster();
    const pids = [server.pid(), ...server.webPids()];
    const { port } = new URL(server.base);

    // A request whose head is still arriving when the stop begins.
    const socket = connect(Number(port), host);
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}:${port}\r\n`);
    // The primary hands each connection to a web process: stop once one holds this one.
    const holder = await waitUntil(() => processesConnectedTo(socket.localPort ?? 0, server.webPids())[0], 15_000, 20);
    expect(holder).toBeDefined();

    process.kill(server.pid(), "SIGTERM");
    const refused = await refusesConnections(Number(port), 15_000);
    expect(refused, server.output.slice(-2000)).toBe(true);

    socket.write("Connection: close\r\n\r\n");
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain("Asklog");

    expect(await server.waitForExit(15_000)).toBe(0);
    expect(pids.filter(running)).toEqual([]);
  });
});
