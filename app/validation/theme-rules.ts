// The themes a reader may choose, shared by the switch, the cookie and themeFormSchema
// (theme.ts). Plain values, so the switch can show them without the browser loading zod.

// "system" follows the device (prefers-color-scheme); the other two pin the look.
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];

export const themeLabels: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

export function parseTheme(value: unknown): Theme {
  return themes.find((t) => t === value) ?? "system";
}
