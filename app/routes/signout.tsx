import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { handleIntents } from "~/services/form-action.server";
import { endSession } from "~/services/session.server";
import { intentsFor } from "~/validation/intent";

const intent = intentsFor();

// Anyone may sign out: a signed-out browser posting here just goes home.
const intents = () => ({
  "sign-out": intent({ permission: "anyone", run: ({ request }) => endSession(request) }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "sign-out" });
}

// Signing out changes state, so it is POST only; a GET just goes home.
export async function loader() {
  return redirect("/");
}
