import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/services/session.server";

export async function action({ request }: ActionFunctionArgs) {
  return endSession(request);
}

// Signing out changes state, so it is POST only; a GET just goes home.
export async function loader() {
  return redirect("/");
}
