import { inArray } from "drizzle-orm";
import { z } from "~/validation/zod";
import { keepUntilChange } from "../../db/cache";
import { db } from "../../db/client";
import { siteSettings as siteSettingsTable } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { type Done, done } from "./result";
import type { User } from "./user.server";

// The settings admins change while the site runs, each with its type and its value until an
// admin saves one. A new setting is one more line here (and its control on /admin/settings).
const settingSchemas = {
  // Off: some partners do not want competitors to see what they asked for.
  partnersSeeOrganizationVotes: z.boolean().default(false),
  // Off: every new API token must expire (30, 90 or 365 days).
  tokensWithoutExpiry: z.boolean().default(true),
};

export type SiteSettings = { [Name in keyof typeof settingSchemas]: z.output<(typeof settingSchemas)[Name]> };
type SettingName = keyof SiteSettings;

const settingNames = Object.keys(settingSchemas) as SettingName[];

// A value that no longer fits its schema (a setting whose type changed) counts as unset.
function settingValue<Name extends SettingName>(name: Name, stored: string | undefined): SiteSettings[Name] {
  let raw: unknown;
  try {
    raw = stored === undefined ? undefined : JSON.parse(stored);
  } catch {
    raw = undefined;
  }
  const parsed = settingSchemas[name].safeParse(raw);
  return (parsed.success ? parsed.data : settingSchemas[name].parse(undefined)) as SiteSettings[Name];
}

function readSettings(): SiteSettings {
  const stored = new Map(
    db()
      .select({ name: siteSettingsTable.name, value: siteSettingsTable.value })
      .from(siteSettingsTable)
      .where(inArray(siteSettingsTable.name, settingNames))
      .all()
      .map((row) => [row.name, row.value]),
  );
  return Object.fromEntries(settingNames.map((name) => [name, settingValue(name, stored.get(name))])) as SiteSettings;
}

// Read on every page that shows votes; kept until the database changes (in any process, so a
// save on one web process reaches the others on their next request).
export function siteSettings(): SiteSettings {
  return keepUntilChange("site settings", 60_000, readSettings);
}

export type SettingsSave = Done<{ changed: SettingName[] }>;

// Saves the settings given; the audit entry holds the ones that changed, before and after.
// The settings are one record for the site, so the entry's subject id is 0.
export function saveSiteSettings({
  values,
  actorId,
}: {
  values: Partial<SiteSettings>;
  actorId: number;
}): SettingsSave {
  return db().transaction(
    (tx): SettingsSave => {
      const current = readSettings();
      const changed = settingNames.filter((name) => name in values && values[name] !== current[name]);
      if (!changed.length) return done({ changed });
      const now = new Date().toISOString();
      for (const name of changed) {
        const value = JSON.stringify(values[name]);
        tx.insert(siteSettingsTable)
          .values({ name, value, updatedById: actorId, updatedAt: now })
          .onConflictDoUpdate({ target: siteSettingsTable.name, set: { value, updatedById: actorId, updatedAt: now } })
          .run();
      }
      const pick = (settings: Partial<SiteSettings>) =>
        Object.fromEntries(changed.map((name) => [name, settings[name]]));
      recordAudit(tx, {
        actorId,
        action: "setting.change",
        subjectType: "setting",
        subjectId: 0,
        before: pick(current),
        after: pick(values),
      });
      return done({ changed });
    },
    { behavior: "immediate" },
  );
}

// Who may see which organizations voted on an ask, and when ("votes by organization"), and a
// person's votes on their profile. The count ("6 votes from 5 organizations") is public.
// Team members and admins always may; partners and visitors when an admin turned it on.
// This is the one place that decides it: models may not ask the permission table
// (services/permission.server.ts), so the rule names the roles itself, as ask-edit does.
export function canSeeOrganizationVotes(viewer: User | undefined): boolean {
  if (viewer && viewer.role !== "member") return true;
  return siteSettings().partnersSeeOrganizationVotes;
}
