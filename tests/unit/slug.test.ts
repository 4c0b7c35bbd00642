import { describe, expect, it } from "vitest";
import { askPath, organizationPath, parseAskParam, parsePersonParam, personPath, slugify } from "~/slug";

describe("ask addresses", () => {
  it("turns a title into a readable slug", () => {
    expect(slugify("A customer-facing page that explains CPOR & POE")).toBe(
      "a-customer-facing-page-that-explains-cpor-poe",
    );
    expect(slugify("Économie: rebates?")).toBe("economie-rebates");
    expect(slugify("!!!")).toBe("ask");
  });

  it("reads the number from any slug and rejects nonsense", () => {
    expect(parseAskParam("123-old-title")).toBe(123);
    expect(parseAskParam("123")).toBe(123);
    expect(parseAskParam("abc")).toBeUndefined();
    expect(parseAskParam("0-zero")).toBeUndefined();
    expect(parseAskParam("99999999999999999999")).toBeUndefined();
    expect(parseAskParam("12abc")).toBeUndefined();
    expect(parseAskParam("-12-negative")).toBeUndefined();
    expect(parseAskParam(undefined)).toBeUndefined();
    expect(askPath({ id: 7, slug: "rebates" })).toBe("/asks/7-rebates");
  });
});

describe("person and organization addresses", () => {
  it("names a person's page by number and name, whatever the script of the name", () => {
    expect(personPath({ id: 12, displayName: "Raj Mehta" })).toBe("/people/12-raj-mehta");
    expect(personPath({ id: 13, displayName: "José Álvarez" })).toBe("/people/13-jose-alvarez");
    expect(personPath({ id: 14, displayName: "สมชาย ใจดี" })).toBe("/people/14-person");
    expect(parsePersonParam("12-old-name")).toBe(12);
    expect(parsePersonParam("person")).toBeUndefined();
    expect(organizationPath({ slug: "dell" })).toBe("/orgs/dell");
  });
});
