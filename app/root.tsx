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
  useLocation,
  useRouteError,
  useRouteLoaderData,
  useSearchParams,
} from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { EmptyState } from "~/components/empty-state";
import { plural } from "~/components/format";
import { useNonce } from "~/components/nonce";
import { NotificationsLink, UnreadAnnouncement } from "~/components/notifications-link";
import { ThemeSwitch, usePendingTheme } from "~/components/theme-switch";
import { localeFromAcceptLanguage } from "~/components/time";
import { unreadCount } from "~/models/notification.server";
import { takeNotice } from "~/services/notice.server";
import { can } from "~/services/permission.server";
import { getUser } from "~/services/session.server";
import { statusStylesheetHref } from "~/services/status-colors.server";
import { readTheme } from "~/services/theme.server";
import stylesHref from "~/styles.css";
import { searchQueryMax } from "~/validation/fields";
import type { Theme } from "~/validation/theme-rules";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
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
      theme: await readTheme(request),
      // Versioned, so that a changed status colour shows on the next navigation.
      statusStylesheet: statusStylesheetHref(),
      // Dates render in the reader's language, on the server too (without JavaScript): the one they
      // saved, or their browser's. A saved time zone is used on the server and in the browser alike.
      locale: user?.locale ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")),
      timeZone: user?.timeZone ?? null,
      user: user
        ? {
            id: user.id,
            displayName: user.displayName,
            organization: user.organization,
            team: user.team,
            canTriage: can(user, "ask:triage"),
            canAdmin: can(user, "admin:users"),
            // One indexed count (user, read_at) per page: cheap enough for every signed-in page.
            unreadNotifications: unreadCount(user.id),
            emailConfirmed: user.emailConfirmed,
          }
        : null,
    },
    { headers },
  );
}

export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

// The browser's own bar matches the header: both colours when the device decides, one when the reader has.
const themeColors = { light: "#f6f8fa", dark: "#161b22" } as const;

function ThemeColor({ theme }: { theme: Theme }) {
  if (theme !== "system") return <meta name="theme-color" content={themeColors[theme]} />;
  return (
    <>
      <meta name="theme-color" media="(prefers-color-scheme: light)" content={themeColors.light} />
      <meta name="theme-color" media="(prefers-color-scheme: dark)" content={themeColors.dark} />
    </>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  // While a new choice is on its way to /theme, the page shows it already.
  const theme = usePendingTheme() ?? root?.theme ?? "system";
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <ThemeColor theme={theme} />
        <Meta />
        <Links />
        {/* Without the root's data (an error page), the unversioned address is always asked again. */}
        <link rel="stylesheet" href={root?.statusStylesheet ?? "/statuses.css"} />
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
          <div className="site-footer-inner">
            <p>
              <img src="/logo.svg" alt="" width={20} height={20} /> Asklog — partner asks, votes and the dated history
              of every answer.
            </p>
            <ul className="footer-links">
              <li>
                <Link to="/roadmap">Roadmap</Link>
              </li>
              <li>
                <Link to="/styleguide">Styleguide</Link>
              </li>
            </ul>
            <ThemeSwitch current={theme} />
          </div>
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

type HeaderUser = ReturnType<typeof useOptionalUser>;

function SiteHeader() {
  const user = useOptionalUser();
  return (
    <header className="site-header">
      <div className="header-bar">
        <Link to="/" className="brand">
          <img src="/logo.svg" alt="" width={28} height={28} />
          <span className="brand-name">Asklog</span>
        </Link>
        <nav aria-label="Main" className="nav-wide">
          <MainLinks user={user} />
        </nav>
        <SearchForm />
        <div className="account account-wide">
          {user ? (
            <>
              <NotificationsLink count={user.unreadNotifications} />
              <Link to="/account" className="account-name" title="Your account and where you are signed in">
                {user.displayName}
                {user.organization ? ` (${user.organization})` : user.team ? ` (${user.team})` : ""}
              </Link>
              <SignOut />
            </>
          ) : (
            <SignInLinks />
          )}
        </div>
        <MenuDisclosure user={user} />
      </div>
      {user ? <UnreadAnnouncement count={user.unreadNotifications} /> : null}
      {user && !user.emailConfirmed ? (
        <p className="banner">
          Asklog mails you only once your address is confirmed.{" "}
          <Link to="/confirm-email">Confirm it or send the link again</Link>
        </p>
      ) : null}
    </header>
  );
}

// On a phone the links fold into a menu: a <details>, so it opens without JavaScript.
// The account name is not repeated in it (the wide header shows it); "Your account" is enough.
function MenuDisclosure({ user }: { user: HeaderUser }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  // With JavaScript the page changes without a reload, so the menu closes itself.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  return (
    <details className="nav-menu" ref={menu}>
      <summary className="menu-button">
        {/* Three bars drawn in CSS: pages carry no <svg>, so the XSS checks can forbid it outright. */}
        <span className="menu-icon" aria-hidden="true" />
        <span className="menu-label">Menu</span>
        {user?.unreadNotifications ? (
          <>
            <span className="count-badge" aria-hidden="true">
              {user.unreadNotifications}
            </span>
            <span className="visually-hidden">, {plural(user.unreadNotifications, "unread notification")}</span>
          </>
        ) : null}
      </summary>
      <div className="menu-panel">
        <nav aria-label="Main">
          <MainLinks user={user} />
        </nav>
        <div className="account">
          {user ? (
            <>
              <NotificationsLink count={user.unreadNotifications} />
              <Link to="/account">Your account</Link>
              <SignOut />
            </>
          ) : (
            <SignInLinks />
          )}
        </div>
      </div>
    </details>
  );
}

function MainLinks({ user }: { user: HeaderUser }) {
  return (
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
  );
}

function SearchForm() {
  const [params] = useSearchParams();
  return (
    <Form method="get" action="/search" role="search" className="header-search">
      <label htmlFor="site-search" className="visually-hidden">
        Search
      </label>
      <input
        id="site-search"
        type="search"
        name="q"
        placeholder="Search asks"
        defaultValue={params.get("q") ?? ""}
        maxLength={searchQueryMax}
      />
      <button type="submit" className="secondary">
        Go
      </button>
    </Form>
  );
}

function SignOut() {
  return (
    <Form method="post" action="/signout">
      <button type="submit" className="link-button">
        Sign out
      </button>
    </Form>
  );
}

function SignInLinks() {
  return (
    <>
      <Link to="/signin">Sign in</Link>
      <Link to="/signup" className="button">
        Sign up
      </Link>
    </>
  );
}

export default function App() {
  return <Outlet />;
}

function errorText(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // A 4xx thrown by a route carries its own short explanation ("Your account is blocked from posting.");
  // the router's own ("Error: No route matches URL …") is not for people.
  const explanation =
    isRouteErrorResponse(error) && status < 500 && typeof error.data === "string" && !error.data.startsWith("Error: ")
      ? error.data
      : null;
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

// A fault's reference: from the failed loader or action (see server/error-reference.ts),
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
    <EmptyState
      title={title}
      level={1}
      actions={
        <>
          <Form method="get" action="/search" role="search" aria-label="Search asks" className="inline-search">
            <label htmlFor="error-search">Search asks</label>
            <input id="error-search" type="search" name="q" maxLength={searchQueryMax} />
            <button type="submit">Search</button>
          </Form>
          <Link to="/">Back to all asks</Link>
        </>
      }
    >
      <p>{message}</p>
      {reference ? (
        <p>
          If you report this, quote reference <code>{reference}</code>.
        </p>
      ) : null}
    </EmptyState>
  );
}
