import { createCookie, redirect } from "@remix-run/node";

// A one-line confirmation ("Team renamed.") shown on the page a form redirects to.
// It rides in a short-lived cookie rather than the session, so showing it writes
// nothing to the database; the root loader reads it and clears it.
const noticeCookie = createCookie("asklog_notice", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 });

export async function redirectWithNotice(url: string, notice: string, init: ResponseInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await noticeCookie.serialize(notice.slice(0, 200)));
  return redirect(url, { ...init, headers });
}

// The notice waiting for this request, and the header that clears it once shown.
export async function takeNotice(request: Request): Promise<{ notice: string | null; headers: HeadersInit }> {
  const notice = await noticeCookie.parse(request.headers.get("Cookie"));
  if (typeof notice !== "string" || !notice) return { notice: null, headers: {} };
  return { notice, headers: { "Set-Cookie": await noticeCookie.serialize("", { maxAge: 0 }) } };
}
