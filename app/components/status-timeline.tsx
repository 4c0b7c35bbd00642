import { Form, Link } from "@remix-run/react";
import { authorOf, PersonName } from "./person-name";
import { ResolutionLink } from "./resolution-link";
import { StatusBadge } from "./status-badge";
import { Day, Time } from "./time";

export type StatusUpdateItem = {
  id: number;
  aboutDate: string;
  recordedAt: string;
  editedAt: string | null;
  team: string | null;
  authorId: number;
  author: string;
  authorProfileHidden: boolean;
  fromStatus: string | null;
  toStatus: { slug: string; name: string; color: string };
  noteHtml: string;
  links: { url: string; title: string }[];
  // The viewer wrote this update and may still triage: offer Edit and Remove.
  mine?: boolean;
};

// "Status details": the dated history of every decision on an ask, oldest first.
// statusPath (statusUpdatePath(ask)) is where the viewer's own updates are edited and removed.
export function StatusTimeline({ updates, statusPath }: { updates: StatusUpdateItem[]; statusPath?: string }) {
  return (
    <section aria-labelledby="status-details">
      <h2 id="status-details">Status details</h2>
      {updates.length ? (
        <ol className="timeline">
          {updates.map((u, i) => {
            // Compared with the entry above rather than the stored from-status, so
            // history entered later (back-dated between two entries) still reads right.
            const previous = i > 0 ? updates[i - 1]?.toStatus.name : u.fromStatus;
            // The day it is about is a plain day (back-dated history has no time); the moment it was
            // recorded is shown only when that was on another day.
            const recordedLater = u.recordedAt.slice(0, 10) !== u.aboutDate;
            const context = (
              <span className="visually-hidden">
                {" "}
                your status update of <Day value={u.aboutDate} />
                {sameDay(updates, u) ? ` (${ordinal(updates, u)})` : ""}
              </span>
            );
            return (
              <li key={u.id} id={`status-update-${u.id}`}>
                <p className="when">
                  <Day value={u.aboutDate} />
                  {recordedLater ? (
                    <span className="muted">
                      {" "}
                      (recorded <Time value={u.recordedAt} />)
                    </span>
                  ) : null}{" "}
                  {/* A no-break space or a nowrap span keeps each "·" with what follows it. */}·{"\u00a0"}
                  {u.team ?? <PersonName person={authorOf(u)} />}
                  {previous !== u.toStatus.name ? (
                    <>
                      {" "}
                      <span className="nowrap">
                        · <StatusBadge status={u.toStatus} />
                      </span>
                    </>
                  ) : null}
                  {u.editedAt ? <span className="muted"> ·{"\u00a0"}edited</span> : null}
                </p>
                {/* Sanitized on the server by renderMarkdown. */}
                <div className="markdown" dangerouslySetInnerHTML={{ __html: u.noteHtml }} />
                {u.links.length ? (
                  <p>
                    Resolution link:{" "}
                    {u.links.map((l, j) => (
                      <span key={l.url}>
                        {j > 0 ? ", " : null}
                        <ResolutionLink link={l} />
                      </span>
                    ))}
                  </p>
                ) : null}
                {u.mine && statusPath ? (
                  <div className="actions">
                    <Link to={`${statusPath}?update=${u.id}`}>Edit{context}</Link>
                    <Form method="post" action={statusPath}>
                      <input type="hidden" name="updateId" value={u.id} />
                      <button type="submit" name="intent" value="remove" className="link-button">
                        Remove{context}
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="muted">No status updates yet. A program team will triage this ask.</p>
      )}
    </section>
  );
}

function sameDay(updates: StatusUpdateItem[], u: StatusUpdateItem): boolean {
  return updates.filter((o) => o.mine && o.aboutDate === u.aboutDate).length > 1;
}

// "2nd" of the viewer's updates about that day, so each Edit and Remove link has its own name.
function ordinal(updates: StatusUpdateItem[], u: StatusUpdateItem): string {
  const n = updates.filter((o) => o.mine && o.aboutDate === u.aboutDate).indexOf(u) + 1;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix} that day`;
}
