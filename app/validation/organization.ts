import { z } from "~/validation/zod";
import { organizationMax, slugMax } from "./admin-rules";
import { parseId } from "./fields";
import { idField } from "./schema-fields";

export const domainsMax = 50;

// Addresses at these belong to anyone: claiming one would put every such sign-up into one organization.
const publicMailDomains = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "yahoo.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "mail.com",
  "yandex.ru",
  "qq.com",
  "163.com",
]);

// Labels of letters, digits and inner hyphens (punycode included), a top-level label of two
// letters or more: "dell.com", "mail.dell.co.uk", "xn--bcher-kva.example".
const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

const organizationName = z
  .string({ error: "Enter the organization's name." })
  .trim()
  .min(1, "Enter the organization's name.")
  .max(organizationMax, `Name must be at most ${organizationMax} characters.`);

// Left empty, the page address stays as it is.
const slug = z
  .string()
  .optional()
  .transform((v) => v?.trim().toLowerCase() || undefined)
  .refine((v) => v === undefined || v.length <= slugMax, `The address must be at most ${slugMax} characters.`)
  .refine(
    (v) => v === undefined || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v),
    "Use lower-case letters, digits and single hyphens, like dell-technologies.",
  );

// One domain per line or separated by commas; "@dell.com" and "Dell.com" mean dell.com.
const domains = z
  .string()
  .optional()
  .transform((v) => [
    ...new Set(
      (v ?? "")
        .split(/[\s,;]+/)
        .map((d) => d.replace(/^@/, "").replace(/\.$/, "").toLowerCase())
        .filter(Boolean),
    ),
  ])
  .superRefine((list, ctx) => {
    const bad = list.find((d) => !domainPattern.test(d));
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `"${bad}" is not a mail domain: enter domains like dell.com.` });
      return;
    }
    const open = list.find((d) => publicMailDomains.has(d));
    if (open !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `${open} is a public mail service: everyone with an address there would join. Leave it out.`,
      });
      return;
    }
    if (list.length > domainsMax) {
      ctx.addIssue({ code: "custom", message: `An organization may claim at most ${domainsMax} domains.` });
    }
  });

export const organizationRenameSchema = z.object({ id: idField, name: organizationName, slug });

export const organizationDomainsSchema = z.object({ id: idField, domains });

// A choice from a list; the placeholder option sends "".
const chosen = (message: string) =>
  z
    .string({ error: message })
    .min(1, message)
    .transform((v) => parseId(v) ?? 0);

export const organizationMergeSchema = z.object({
  fromId: chosen("Choose the organization to merge."),
  intoId: chosen("Choose the organization to merge it into."),
});

export const organizationUndoSchema = z.object({ mergeId: idField });
