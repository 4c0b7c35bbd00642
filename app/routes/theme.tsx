import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ThemeSwitch } from "~/components/theme-switch";
import { handleIntents } from "~/services/form-action.server";
import { readTheme, rememberTheme } from "~/services/theme.server";
import { intentsFor } from "~/validation/intent";
import { themeFormSchema } from "~/validation/theme";

export const meta: MetaFunction = () => [{ title: "Theme · Asklog" }];

// Reached without JavaScript only when a theme form was refused; it offers the switch again.
export async function loader({ request }: LoaderFunctionArgs) {
  return { theme: await readTheme(request) };
}

const intent = intentsFor();

const intents = () => ({
  theme: intent({
    permission: "anyone",
    schema: themeFormSchema,
    run: async ({ input }) =>
      redirect(input.redirectTo, { headers: { "Set-Cookie": await rememberTheme(input.theme) } }),
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "theme" });
}

export default function ThemePage() {
  const { theme } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <>
      <h1>Theme</h1>
      <p>
        Asklog follows your device's light or dark setting unless you choose one here. The choice is kept on this
        browser.
      </p>
      <ThemeSwitch current={theme} error={reply?.errors.theme ?? reply?.errors.form} />
    </>
  );
}
