import { describe, expect, it } from "vitest";
import { forbiddenAddress, resolveWebhookHost } from "~/services/webhook-address.server";

describe("which addresses a webhook may reach", () => {
  it.each([
    ["127.0.0.1", "a loopback address"],
    ["::1", "a loopback address"],
    ["::ffff:127.0.0.1", "a loopback address"],
    ["0.0.0.0", "an unspecified address"],
    ["::", "an unspecified address"],
    ["10.1.2.3", "a private address"],
    ["172.31.255.1", "a private address"],
    ["192.168.0.10", "a private address"],
    ["fd12:3456::1", "a private address"],
    ["169.254.10.1", "a link-local address"],
    ["fe80::1", "a link-local address"],
    ["100.64.0.1", "a shared (carrier-grade NAT) address"],
    ["224.0.0.1", "a multicast or reserved address"],
    ["169.254.169.254", "a cloud metadata address"],
    ["fd00:ec2::254", "a cloud metadata address"],
  ])("refuses %s as %s", (address, kind) => {
    expect(forbiddenAddress(address, false)).toBe(kind);
  });

  it.each(["93.184.215.14", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(forbiddenAddress(address, false)).toBeNull();
    },
  );

  it("allows loopback and private addresses with WEBHOOK_ALLOW_PRIVATE, but never the metadata service", () => {
    expect(forbiddenAddress("127.0.0.1", true)).toBeNull();
    expect(forbiddenAddress("10.0.0.8", true)).toBeNull();
    expect(forbiddenAddress("169.254.169.254", true)).toBe("a cloud metadata address");
    expect(forbiddenAddress("::ffff:169.254.169.254", true)).toBe("a cloud metadata address");
  });

  it("checks every address a name resolves to, and IPv6 literals in brackets", async () => {
    expect(await resolveWebhookHost(new URL("http://localhost:8080/hook"), false)).toMatchObject({
      ok: false,
      reason: "forbidden",
    });
    expect(await resolveWebhookHost(new URL("http://[::1]:8080/hook"), true)).toEqual({
      ok: true,
      address: "::1",
      family: 6,
    });
  });
});
