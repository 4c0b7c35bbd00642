import { describe, expect, it } from "vitest";
import { signInSchema, signUpSchema } from "~/validation/account";
import { askSchema, hideAskSchema, mergeSchema } from "~/validation/ask";
import { commentEditSchema, hideCommentSchema } from "~/validation/comment";
import { parseForm } from "~/validation/form";
import { statusUpdateEditSchema, statusUpdateSchema } from "~/validation/status-update";
import { hasDangerousScheme } from "../xss-payloads";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

const goodAsk = { title: "Explain CPOR to customers", body: "Partners need a page.", categoryId: "1" };

describe("askSchema", () => {
  it("accepts a complete ask and trims the title", () => {
    const result = parseForm(askSchema, form({ ...goodAsk, title: "   Explain CPOR to customers   " }));
    expect(result).toEqual({
      ok: true,
      data: { title: "Explain CPOR to customers", body: "Partners need a page.", categoryId: 1 },
    });
  });

  it("counts title length after trimming: 10 to 120 characters", () => {
    const ten = "a".repeat(10);
    const max = "b".repeat(120);
    expect(parseForm(askSchema, form({ ...goodAsk, title: ten })).ok).toBe(true);
    expect(parseForm(askSchema, form({ ...goodAsk, title: max })).ok).toBe(true);

    const padded = parseForm(askSchema, form({ ...goodAsk, title: `     ${"a".repeat(9)}     ` }));
    expect(padded.ok).toBe(false);
    if (!padded.ok) expect(padded.errors.title).toBe("Title must be at least 10 characters.");

    const long = parseForm(askSchema, form({ ...goodAsk, title: "c".repeat(121) }));
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.errors.title).toBe("Title must be at most 120 characters.");
  });

  it("requires a description, and whitespace is not one", () => {
    for (const body of ["", "   \n\t "]) {
      const result = parseForm(askSchema, form({ ...goodAsk, body }));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.body).toBe("Describe what you need and why.");
    }
  });

  it("requires a category, whatever odd value the form sends", () => {
    for (const categoryId of ["", "abc", "0", "-4", "1.5"]) {
      const result = parseForm(askSchema, form({ ...goodAsk, categoryId }));
      expect(result.ok, `categoryId=${JSON.stringify(categoryId)}`).toBe(false);
      if (!result.ok) expect(result.errors.categoryId).toBe("Choose a category.");
    }
    const missing = parseForm(askSchema, form({ title: goodAsk.title, body: goodAsk.body }));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors.categoryId).toBe("Choose a category.");
  });

  it("reports every wrong field at once", () => {
    const result = parseForm(askSchema, form({ title: "short", body: "", categoryId: "" }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(["body", "categoryId", "title"]);
  });
});

describe("signUpSchema and signInSchema", () => {
  const goodSignUp = {
    email: "dana@contoso.example",
    displayName: "Dana Whitfield",
    organization: "Contoso",
    password: "long enough password",
  };

  it("normalizes the email to trimmed lowercase", () => {
    const up = parseForm(signUpSchema, form({ ...goodSignUp, email: "  Dana.Whitfield@Contoso.EXAMPLE " }));
    expect(up.ok && up.data.email).toBe("dana.whitfield@contoso.example");
    const inn = parseForm(signInSchema, form({ email: "DANA@CONTOSO.EXAMPLE", password: "x" }));
    expect(inn.ok && inn.data.email).toBe("dana@contoso.example");
  });

  it("explains a malformed or missing email", () => {
    for (const schema of [signUpSchema, signInSchema]) {
      for (const email of ["not-an-email", "dana@", "@contoso.example", "dana contoso.example"]) {
        const result = parseForm(schema, form({ ...goodSignUp, email }));
        expect(result.ok, email).toBe(false);
        if (!result.ok) expect(result.errors.email).toBe("Enter a valid email address, like name@company.com.");
      }
      const empty = parseForm(schema, form({ ...goodSignUp, email: "   " }));
      expect(empty.ok).toBe(false);
      if (!empty.ok) expect(empty.errors.email).toBe("Enter your email address.");
    }
  });

  it("requires a password of at least 10 characters at sign-up", () => {
    const short = parseForm(signUpSchema, form({ ...goodSignUp, password: "123456789" }));
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.errors.password).toBe("Password must be at least 10 characters.");
    expect(parseForm(signUpSchema, form({ ...goodSignUp, password: "1234567890" })).ok).toBe(true);
  });

  // An empty organization passes the form: an address at a claimed domain decides it, and the
  // sign-up action asks for it otherwise.
  it("requires a display name at sign-up, and an organization of two characters or none", () => {
    const result = parseForm(signUpSchema, form({ ...goodSignUp, displayName: " ", organization: "" }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.displayName).toBe("Display name must be at least 2 characters.");
      expect(result.errors.organization).toBeUndefined();
    }
    const short = parseForm(signUpSchema, form({ ...goodSignUp, organization: "X" }));
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.errors.organization).toBe("Organization must be at least 2 characters.");
  });

  it("asks for the password at sign-in without revealing the sign-up rules", () => {
    const empty = parseForm(signInSchema, form({ email: "dana@contoso.example", password: "" }));
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors.password).toBe("Enter your password.");
    expect(parseForm(signInSchema, form({ email: "dana@contoso.example", password: "short" })).ok).toBe(true);
  });
});

describe("parseForm", () => {
  it("hands back what the user typed, but never the password", () => {
    const typed = {
      email: "Dana@",
      displayName: "Dana Whitfield",
      organization: "Contoso",
      password: "secret-password-123",
      redirectTo: "/asks/new",
    };
    const result = parseForm(signUpSchema, form(typed));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.values).toEqual({
      email: "Dana@",
      displayName: "Dana Whitfield",
      organization: "Contoso",
      redirectTo: "/asks/new",
    });
    expect(JSON.stringify(result)).not.toContain("secret-password-123");
  });

  it("keeps the untrimmed text exactly as typed", () => {
    const result = parseForm(askSchema, form({ title: "  too short ", body: "Line one\n\nLine two", categoryId: "" }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.values.title).toBe("  too short ");
      expect(result.values.body).toBe("Line one\n\nLine two");
    }
  });

  it("ignores uploaded files when echoing values", () => {
    const data = form({ ...goodAsk, title: "short" });
    data.append("attachment", new Blob(["hello"]), "note.txt");
    const result = parseForm(askSchema, data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.values).not.toHaveProperty("attachment");
  });
});

describe("statusUpdateSchema resolution links", () => {
  const update = (url: string) =>
    form({ statusId: "1", teamId: "1", note: "Published.", "links.0.url": url, "links.0.title": "The page" });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\u0001javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:partners@example.com",
    "ftp://example.com/file",
    "/asks/1",
    "//evil.example/x",
    "https:javascript:alert(1)",
    "http://",
    "&#106;avascript:alert(1)",
  ])("refuses %j as a link URL", (url) => {
    const result = parseForm(statusUpdateSchema, update(url));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors["links.0.url"]).toBe("Enter a full web address starting with https:// or http://.");
    }
  });

  it("keeps http and https links, stored in the form the browser will follow", () => {
    for (const url of ["https://aka.ms/about-cpor", "  http://learn.example.com/a?b=c#d  ", "HTTPS://EXAMPLE.COM"]) {
      const result = parseForm(statusUpdateSchema, update(url));
      expect(result.ok, url).toBe(true);
      if (!result.ok) continue;
      const [link] = result.data.links;
      expect(link).toBeDefined();
      expect(new URL(link?.url ?? "").protocol).toMatch(/^https?:$/);
      expect(hasDangerousScheme(link?.url ?? "")).toBe(false);
    }
  });
});

describe("moderation reasons", () => {
  it("are trimmed and kept to 200 characters", () => {
    const result = parseForm(hideCommentSchema, form({ commentId: "7", reason: `  ${"Spam. ".repeat(50)}` }));
    expect(result.ok && result.data).toEqual({ commentId: 7, reason: "Spam. ".repeat(50).trim().slice(0, 200) });
  });

  it("are required, and whitespace is not one", () => {
    for (const reason of ["", "   \n "]) {
      const comment = parseForm(hideCommentSchema, form({ commentId: "7", reason }));
      expect(!comment.ok && comment.errors.reason).toBe("Say why the comment is hidden.");
      const ask = parseForm(hideAskSchema, form({ reason }));
      expect(!ask.ok && ask.errors.reason).toBe("Say why the ask is hidden.");
    }
    const missing = parseForm(hideCommentSchema, form({ commentId: "7" }));
    expect(!missing.ok && missing.errors.reason).toBe("Say why the comment is hidden.");
  });
});

describe("ids in hidden fields", () => {
  it("read anything that is not an id as 0, which no row has", () => {
    for (const commentId of ["", "abc", "-1", "1e3", "99999999999999999999"]) {
      const result = parseForm(commentEditSchema, form({ commentId, body: "Edited" }));
      expect(result.ok && result.data.commentId, commentId).toBe(0);
    }
    const edit = parseForm(
      statusUpdateEditSchema,
      form({ updateId: "12", statusId: "1", teamId: "2", note: "Moved." }),
    );
    expect(edit.ok && edit.data).toMatchObject({ updateId: 12, toStatusId: 1, teamId: 2, note: "Moved." });
  });
});

describe("mergeSchema", () => {
  it("reads the ask to merge into as a person types it", () => {
    for (const [typed, id] of [
      ["42", 42],
      ["#42", 42],
      [" 42-a-countdown-for-cocp ", 42],
    ] as const) {
      const result = parseForm(mergeSchema, form({ targetId: typed }));
      expect(result.ok && result.data.targetId, typed).toBe(id);
    }
  });

  it("asks for a number when it is not one", () => {
    for (const typed of ["", "abc", "0", "#", "4.2"]) {
      const result = parseForm(mergeSchema, form({ targetId: typed }));
      expect(!result.ok && result.errors.targetId, typed).toBe("Enter the number of the ask to merge into.");
    }
  });
});
