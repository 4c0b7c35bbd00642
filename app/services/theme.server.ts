import { createCookie } from "@remix-run/node";
import { parseTheme, type Theme } from "~/validation/theme-rules";

// The reader's choice of light or dark, kept for a year in a cookie of its own so that
// the server renders the right theme before any script runs, signed in or not.
const themeCookie = createCookie("asklog_theme", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: 365 * 24 * 60 * 60,
});

export async function readTheme(request: Request): Promise<Theme> {
  return parseTheme(await themeCookie.parse(request.headers.get("Cookie")));
}

export function rememberTheme(theme: Theme): Promise<string> {
  return themeCookie.serialize(theme);
}
