import { Form, useLocation, useNavigation } from "@remix-run/react";
import { type Theme, themeLabels, themes } from "~/validation/theme-rules";

// Three buttons posting to /theme, which keeps the choice in a cookie and sends the reader
// back to this page: a plain form, so it works without JavaScript and before scripts load.
export function ThemeSwitch({ current, error }: { current: Theme; error?: string }) {
  const location = useLocation();
  return (
    <Form method="post" action="/theme" className="theme-switch" preventScrollReset>
      {/* The hash is left out: the server never sees it, so it would differ between the two renders. */}
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <fieldset aria-describedby={error ? "theme-error" : undefined}>
        <legend>Theme</legend>
        <span className="segmented">
          {themes.map((theme) => (
            <button key={theme} type="submit" name="theme" value={theme} aria-pressed={theme === current}>
              {themeLabels[theme]}
            </button>
          ))}
        </span>
      </fieldset>
      {error ? (
        <p className="error" id="theme-error" role="alert">
          {error}
        </p>
      ) : null}
    </Form>
  );
}

// The theme being posted right now, so the page can switch before the answer arrives.
export function usePendingTheme(): Theme | undefined {
  const navigation = useNavigation();
  if (navigation.formAction !== "/theme") return undefined;
  const chosen = navigation.formData?.get("theme");
  return themes.find((theme) => theme === chosen);
}
