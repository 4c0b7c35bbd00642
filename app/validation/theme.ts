import { z } from "~/validation/zod";
import { redirectField } from "./fields";

// "system" follows the device (prefers-color-scheme); the other two pin the look.
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];

export const themeLabels: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

export function parseTheme(value: unknown): Theme {
  return themes.find((t) => t === value) ?? "system";
}

export const themeFormSchema = z.object({
  theme: z.enum(themes, { error: "Choose System, Light or Dark." }),
  // The page to go back to: a path on this site, or home.
  redirectTo: redirectField,
});
