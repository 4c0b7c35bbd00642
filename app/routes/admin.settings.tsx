import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { saveSiteSettings, siteSettings } from "~/models/site-setting.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { intentsFor } from "~/validation/intent";
import { siteSettingsSchema } from "~/validation/site-setting";

export const meta: MetaFunction = () => [{ title: "Settings · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:settings");
  return { settings: siteSettings() };
}

const intent = intentsFor();

const intents = () => ({
  save: intent({
    permission: "admin:settings",
    schema: siteSettingsSchema,
    run: ({ input, user }) => {
      const { changed } = saveSiteSettings({ values: input, actorId: user.id });
      return redirectWithNotice("/admin/settings", changed.length ? "Settings saved." : "Nothing changed.");
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "save" });
}

export default function AdminSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>Settings</h1>
      <Form method="post">
        <fieldset>
          <legend>Votes by organization</legend>
          <p className="hint" id="organization-votes-hint">
            Everyone sees how many organizations voted on an ask. Team members and admins also see which ones, and when.
            This is off by default because some partners do not want competitors to see what they asked for.
          </p>
          <label>
            <input
              type="checkbox"
              name="partnersSeeOrganizationVotes"
              defaultChecked={settings.partnersSeeOrganizationVotes}
              aria-describedby="organization-votes-hint"
            />{" "}
            Partners and visitors may see which organizations voted
          </label>
        </fieldset>
        <fieldset>
          <legend>API tokens</legend>
          <p className="hint" id="tokens-without-expiry-hint">
            A token that never expires keeps working until someone revokes it, even when it was copied somewhere it
            should not be. Turned off, new tokens must expire within a year; tokens made before keep their expiry.
          </p>
          <label>
            <input
              type="checkbox"
              name="tokensWithoutExpiry"
              defaultChecked={settings.tokensWithoutExpiry}
              aria-describedby="tokens-without-expiry-hint"
            />{" "}
            People may make API tokens that never expire
          </label>
        </fieldset>
        <button type="submit" disabled={busy}>
          Save settings
        </button>
      </Form>
    </>
  );
}
