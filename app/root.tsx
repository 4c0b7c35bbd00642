import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
  useSearchParams,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { takeNotice } from "~/services/notice.server";
import { can } from "~/services/permission.server";
import { getUser } from "~/services/session.server";
import stylesHref from "~/styles.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "stylesheet", href: "/statuses.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "alternate", type: "application/atom+xml", title: "Asklog status updates", href: "/feeds/updates.atom" },
];

export const meta: MetaFunction = ({ error }) => [{ title: error ? `${errorText(error).title} · Asklog` : "Asklog" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const { notice, headers } = await takeNotice(request);
  return data(
    {
      // Named on the error page when rendering this very document fails.
      requestId: context.requestId,
      notice,
      user: user
        ? {
            id: user.id,
            displayName: user.displayName,
            organization: user.organization,
            team: user.team,
            canTriage: can(user, "ask:triage"),
            canAdmin: can(user, "admin:users"),
          }
        : null,
    },
    { headers },
  );
}

export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1}>
          <Notice />
          {children}
        </main>
        <footer className="site-footer">
          <p>Asklog — partner asks, votes and the dated history of every answer.</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

// The confirmation a form's redirect left ("Team renamed."); role=status announces it.
function Notice() {
  const notice = useRouteLoaderData<typeof loader>("root")?.notice;
  return (
    <p role="status" className={notice ? "notice saved" : "visually-hidden"}>
      {notice}
    </p>
  );
}

function SiteHeader() {
  const user = useOptionalUser();
  const [params] = useSearchParams();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Asklog
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/" end>
              Asks
            </NavLink>
          </li>
          <li>
            <NavLink to="/roadmap">Roadmap</NavLink>
          </li>
          <li>
            <NavLink to="/asks/new">File an ask</NavLink>
          </li>
          {user ? (
            <li>
              <NavLink to="/my-asks">My asks</NavLink>
            </li>
          ) : null}
          {user?.canTriage ? (
            <li>
              <NavLink to="/triage">Triage</NavLink>
            </li>
          ) : null}
          {user?.canAdmin ? (
            <li>
              <NavLink to="/admin">Admin</NavLink>
            </li>
          ) : null}
        </ul>
      </nav>
      <Form method="get" action="/search" role="search" className="header-search">
        <label htmlFor="site-search">Search</label>
        <input id="site-search" type="search" name="q" defaultValue={params.get("q") ?? ""} maxLength={200} />
        <button type="submit">Go</button>
      </Form>
      <div className="account">
        {user ? (
          <>
            <Link to="/account" title="Your account and where you are signed in">
              {user.displayName}
              {user.organization ? ` (${user.organization})` : user.team ? ` (${user.team})` : ""}
            </Link>
            <Form method="post" action="/signout">
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </>
        ) : (
          <>
            <Link to="/signin">Sign in</Link>
            <Link to="/signup">Sign up</Link>
          </>
        )}
      </div>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

function errorText(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // A 4xx thrown by a route carries its own short explanation ("Your account is blocked from posting.").
  const explanation = isRouteErrorResponse(error) && status < 500 && typeof error.data === "string" ? error.data : null;
  const title =
    status === 404
      ? "Page not found"
      : status === 403
        ? "Not allowed"
        : status < 500
          ? "Request not accepted"
          : "Something went wrong";
  const message =
    status === 404
      ? "There is nothing at this address. The ask may have been removed, or the link mistyped."
      : status === 403
        ? "Your account may not do this."
        : status < 500
          ? "The request could not be processed."
          : "An unexpected error stopped this page. It has been logged; please try again in a moment.";
  return { title, message: explanation && explanation !== "Not allowed" ? explanation : message };
}

// A fault's reference: from the failed loader or action (see error-reference.server.ts),
// or, when rendering the document itself failed, that document's request.
function errorReference(error: unknown, documentRequestId: string | undefined): string | undefined {
  if (isRouteErrorResponse(error)) {
    const reference = (error.data as { reference?: unknown } | null)?.reference;
    return typeof reference === "string" ? reference : undefined;
  }
  return documentRequestId;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { title, message } = errorText(error);
  const reference = errorReference(error, useRouteLoaderData<typeof loader>("root")?.requestId);
  return (
    <>
      <h1>{title}</h1>
      <p>{message}</p>
      {reference ? (
        <p>
          If you report this, quote reference <code>{reference}</code>.
        </p>
      ) : null}
      <p>
        <Link to="/">Back to all asks</Link>
      </p>
    </>
  );
}
