import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { signToken, verifyToken } from "~/services/signed-token.server";

beforeAll(() => {
  process.env.SESSION_SECRET = "unit-test-secret-for-signed-tokens";
});

const inAnHour = () => new Date(Date.now() + 60 * 60 * 1000);
const claim = { userId: 7, scope: { askId: 123 } };

describe("signed tokens", () => {
  it("gives back what was signed, for the same purpose, until it expires", () => {
    const token = signToken("unsubscribe", claim, inAnHour());
    const verified = verifyToken<typeof claim>("unsubscribe", token);
    expect(verified).toMatchObject({ ok: true, payload: claim });

    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    expect(verifyToken("unsubscribe", token, later)).toEqual({ ok: false, reason: "expired" });
  });

  it("is only good for its own purpose", () => {
    const token = signToken("unsubscribe", claim, inAnHour());
    expect(verifyToken("reset-password", token)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses a changed payload, even one that keeps the signature", () => {
    const token = signToken("unsubscribe", claim, inAnHour());
    const [body = "", sig = ""] = token.split(".");
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const changed = Buffer.from(JSON.stringify({ ...payload, userId: 8 })).toString("base64url");
    expect(verifyToken("unsubscribe", `${changed}.${sig}`)).toEqual({ ok: false, reason: "forged" });
  });

  it.each(["", ".", "abc", "abc.def", "abc.def.ghi", "%%%.***"])(
    "refuses the malformed token %j as forged",
    (token) => {
      expect(verifyToken("unsubscribe", token)).toEqual({ ok: false, reason: "forged" });
    },
  );

  it("refuses a token signed with another secret", () => {
    const [body = ""] = signToken("unsubscribe", claim, inAnHour()).split(".");
    const sig = createHmac("sha256", "another-secret-entirely").update(`unsubscribe.${body}`).digest("base64url");
    expect(verifyToken("unsubscribe", `${body}.${sig}`)).toEqual({ ok: false, reason: "forged" });
  });
});
