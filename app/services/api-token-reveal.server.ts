import { createCookie, type HeadersFunction, redirect } from "@remix-run/node";

// A new API token is shown once, on the page its form redirects to. It rides there in a
// short-lived cookie (the database only ever holds its hash); the page's answer clears it, so
// a reload no longer shows it. Its path is "/": the page's data is fetched from /account.data,
// which a cookie scoped to /account would not reach.
const cookieName = "asklog_new_token";
const revealCookie = createCookie(cookieName, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 });

export async function redirectRevealingToken(url: string, token: string): Promise<Response> {
  return redirect(url, { headers: { "Set-Cookie": await revealCookie.serialize(token) } });
}

export async function revealedToken(request: Request): Promise<string | null> {
  const token = await revealCookie.parse(request.headers.get("Cookie"));
  return typeof token === "string" && token ? token : null;
}

// The Set-Cookie that forgets the token, for every answer of the page except the redirect that
// sets it. Sent whether or not the request had one: the page cannot tell from its headers.
export function clearRevealedToken({ actionHeaders }: Parameters<HeadersFunction>[0]): string | null {
  if (actionHeaders.get("Set-Cookie")?.includes(`${cookieName}=`)) return null;
  return `${cookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;
}
