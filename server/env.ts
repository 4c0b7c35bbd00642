import { readSettings, type Settings, SettingsError } from "~/settings.server";

// The settings, checked before anything else happens. A bad value stops the process with
// one line naming the variable, its value and what is expected, rather than letting it
// serve with a NaN body limit or a typo in a rate limit. The schema itself is in
// app/settings.server.ts, where app code can read it too.
export function settingsOrExit(env: Record<string, string | undefined> = process.env): Settings {
  try {
    return readSettings(env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`Asklog cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
