import { NavLink } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { plural } from "./format";

// "Notifications 3", read as "Notifications 3 unread notifications"; no badge at 0.
export function NotificationsLink({ count }: { count: number }) {
  return (
    <NavLink to="/notifications" className="notifications-link">
      Notifications
      {count ? (
        <>
          {" "}
          <span className="count-badge">{count}</span>
          <span className="visually-hidden"> unread {count === 1 ? "notification" : "notifications"}</span>
        </>
      ) : null}
    </NavLink>
  );
}

// Tells screen readers when the unread count changes while they use the page (after marking read,
// or on a navigation that brought news). It starts empty, so a page load announces nothing; the
// link's own name carries the count for anyone who looks.
export function UnreadAnnouncement({ count }: { count: number }) {
  const [message, setMessage] = useState("");
  const previous = useRef(count);
  useEffect(() => {
    if (previous.current === count) return;
    previous.current = count;
    setMessage(count ? `${plural(count, "unread notification")}.` : "No unread notifications.");
  }, [count]);
  return (
    <p className="visually-hidden" aria-live="polite">
      {message}
    </p>
  );
}
