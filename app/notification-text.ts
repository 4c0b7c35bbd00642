import type { NotificationKind } from "~/domain";

// What an event says, in one line, for the in-app list and for mail alike. Browser code
// imports it too: plain values only. `data` is the event's frozen JSON.

type Parsed = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function parseEventData(data: string): Parsed {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null ? (value as Parsed) : {};
  } catch {
    return {};
  }
}

export function eventHeadline(kind: NotificationKind, data: Parsed, actor: string | null): string {
  const who = actor ?? "Someone";
  switch (kind) {
    case "status_update": {
      const team = text(data.team);
      return `${team || who} set the status to ${text(data.status)}`;
    }
    case "official_response":
      return `${who} posted an official response`;
    case "comment_on_own":
    case "comment":
      return `${who} commented`;
    case "merge":
      return `Merged into #${String(data.targetId)} ${text(data.targetTitle)}: votes and followers now count there`;
    case "edit":
      return `${who} edited the ask`;
    case "new_ask":
      return `New ask in ${text(data.topicName)}`;
  }
}

// Where on the ask page the event is.
export function eventAnchor(kind: NotificationKind, data: Parsed): string {
  if (kind === "status_update") return `#status-update-${String(data.statusUpdateId)}`;
  if (kind === "comment" || kind === "comment_on_own" || kind === "official_response") {
    return `#comment-${String(data.commentId)}`;
  }
  return "";
}
