import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import {
  listNotifications,
  markNotificationsRead,
  notificationPageSize,
  unreadCount,
} from "~/models/notification.server";
import { eventAnchor, eventHeadline, parseEventData } from "~/notification-text";
import { handleIntents } from "~/services/form-action.server";
import { redirectPastEnd } from "~/services/list-viewer.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { askPath } from "~/slug";
import { parsePage, safeRedirect } from "~/validation/fields";
import { intentsFor } from "~/validation/intent";
import { notificationOpenSchema } from "~/validation/notification";

export const meta: MetaFunction = () => [{ title: "Notifications · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "notifications:read");
  const page = parsePage(new URL(request.url).searchParams.get("page"));
  const { entries, total } = listNotifications(user.id, page);
  redirectPastEnd(request, page, total, notificationPageSize);
  return {
    page,
    total,
    pageSize: notificationPageSize,
    unread: unreadCount(user.id),
    entries: entries.map((entry) => {
      const parsed = parseEventData(entry.data);
      return {
        id: entry.id,
        createdAt: entry.createdAt,
        unread: entry.readAt === null,
        headline: eventHeadline(entry.kind, parsed, entry.actor),
        askTitle: entry.ask.title,
        href: `${askPath(entry.ask)}${eventAnchor(entry.kind, parsed)}`,
      };
    }),
  };
}

const intent = intentsFor();

const intents = () => ({
  // Opening an unread entry is a form, not a link with a side effect: loaders never write,
  // and without JavaScript the entry is still marked read on the way to the ask.
  open: intent({
    permission: "notifications:read",
    schema: notificationOpenSchema,
    run: ({ input, user }) => {
      const result = markNotificationsRead({ userId: user.id, notificationId: input.notificationId });
      if (!result.ok) throw data("Notification not found", { status: 404 });
      return redirect(safeRedirect(input.to, "/notifications"));
    },
  }),
  "read-all": intent({
    permission: "notifications:read",
    run: ({ user }) => {
      markNotificationsRead({ userId: user.id });
      return redirectWithNotice("/notifications", "All notifications marked read.");
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents());
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

function NotificationEntry({ entry }: { entry: Entry }) {
  return (
    <li className={entry.unread ? "notification unread" : "notification"}>
      <p className="notification-headline">
        {entry.unread ? <span className="badge unread-badge">Unread</span> : null} {entry.headline}
      </p>
      {entry.unread ? (
        <Form method="post" className="notification-open">
          <input type="hidden" name="intent" value="open" />
          <input type="hidden" name="notificationId" value={entry.id} />
          <input type="hidden" name="to" value={entry.href} />
          <button type="submit" className="link-button">
            {entry.askTitle}
          </button>
        </Form>
      ) : (
        <Link to={entry.href} className="notification-ask">
          {entry.askTitle}
        </Link>
      )}
      <p className="meta-line">
        <Time value={entry.createdAt} relative />
      </p>
    </li>
  );
}

export default function Notifications() {
  const { entries, total, unread, page, pageSize } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="notifications-heading">
        <h1>Notifications</h1>
        {unread ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="secondary">
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      {total ? (
        <>
          <p className="muted">
            {plural(total, "notification")}, {unread ? `${unread} unread` : "all read"}
          </p>
          <ol className="notification-list">
            {entries.map((entry) => (
              <NotificationEntry key={entry.id} entry={entry} />
            ))}
          </ol>
        </>
      ) : (
        <EmptyState
          title="No notifications yet"
          actions={
            <Link className="button" to="/my-asks?tab=following">
              Asks you follow
            </Link>
          }
        >
          <p>
            When an ask you follow gets a status update, an official response or a new comment, or is merged into
            another, it shows up here.
          </p>
        </EmptyState>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
