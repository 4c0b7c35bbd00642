import { createHash } from "node:crypto";
import {
  type AskDetail,
  type AskSummary,
  createAsk,
  getAsk,
  listAsks,
  type SortKey,
  sortKeyOf,
  votedAskIds,
} from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { addComment, listCommentsFor, type ReaderComment } from "~/models/comment.server";
import { listStatuses } from "~/models/status.server";
import { listStatusUpdates, recordStatusUpdate, type StatusUpdateView } from "~/models/status-update.server";
import { listTeams } from "~/models/team.server";
import { castVote, hasVoted, retractVote } from "~/models/vote.server";
import { askPath } from "~/slug";
import {
  askCreateBody,
  askDetailOut,
  askListOut,
  askListQuery,
  askNumberParams,
  type askSummaryOut,
  categoryOut,
  commentCreateBody,
  commentOut,
  meOut,
  noQuery,
  statusOut,
  statusUpdateCreateBody,
  statusUpdateFieldNames,
  statusUpdateOut,
  teamOut,
  voteOut,
} from "~/validation/api";
import { pageSize } from "~/validation/fields";
import type { z } from "~/validation/zod";
import { type AnyOperation, type ApiCaller, ApiProblem, apiBase, operation } from "./api.server";
import { can, type Permission } from "./permission.server";
import { countUserAction } from "./rate-limit.server";
import { parseSearchQuery, searchMessages } from "./search-query.server";

// Every operation of /api/v1, in the order the reference lists them. Each one calls the same
// model functions, permission table and rate limits as the page that does the same thing.

const noParams = askNumberParams.pick({});

// ---- Shapes ----

function askLinks(ask: { id: number; slug: string }, origin: string) {
  return { url: `${origin}${askPath(ask)}`, apiUrl: `${origin}${apiBase}/asks/${ask.id}` };
}

function summaryOf(ask: AskSummary, origin: string, voted: boolean | null): z.input<typeof askSummaryOut> {
  return {
    number: ask.id,
    title: ask.title,
    excerpt: ask.excerpt,
    status: { slug: ask.status.slug, name: ask.status.name },
    category: ask.category,
    author: { name: ask.author, organization: ask.organization },
    voteCount: ask.voteCount,
    commentCount: ask.commentCount,
    hasResolution: ask.hasResolution,
    voted,
    createdAt: ask.createdAt,
    updatedAt: ask.updatedAt,
    ...askLinks(ask, origin),
  };
}

function statusUpdateOf(update: StatusUpdateView): z.input<typeof statusUpdateOut> {
  return {
    id: update.id,
    date: update.aboutDate,
    recordedAt: update.recordedAt,
    editedAt: update.editedAt,
    fromStatus: update.fromStatus,
    toStatus: { slug: update.toStatus.slug, name: update.toStatus.name },
    team: update.team,
    author: update.author,
    note: update.note,
    links: update.links.map(({ url, title }) => ({ url, title })),
  };
}

function commentOf(comment: ReaderComment): z.input<typeof commentOut> {
  const hidden = comment.hiddenAt !== null;
  return {
    id: comment.id,
    author: { name: comment.author, organization: comment.organization },
    team: comment.team,
    body: comment.text,
    official: comment.isOfficial,
    deleted: comment.deleted,
    hidden,
    hiddenReason: hidden ? comment.hiddenReason : null,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
  };
}

function detailOf(ask: AskDetail, caller: ApiCaller, origin: string): z.input<typeof askDetailOut> {
  const related = (a: { id: number; slug: string; title: string }) => ({
    number: a.id,
    title: a.title,
    ...askLinks(a, origin),
  });
  return {
    ...summaryOf(ask, origin, caller.user ? hasVoted(ask.id, caller.user.id) : null),
    body: ask.body,
    categoryId: ask.categoryId,
    team: ask.team,
    status: {
      slug: ask.status.slug,
      name: ask.status.name,
      isClosed: ask.status.isClosed,
      acceptsVotes: ask.status.acceptsVotes,
    },
    hidden: ask.hiddenAt !== null,
    commentsLocked: ask.commentsLockedAt !== null,
    duplicateOf: ask.duplicateOf ? related(ask.duplicateOf) : null,
    mergedFrom: ask.mergedFrom.map(related),
    resolutionLinks: ask.resolutionLinks,
    statusUpdates: listStatusUpdates(ask.id).map(statusUpdateOf),
    comments: listCommentsFor(ask.id, {
      userId: caller.user?.id,
      seesHidden: can(caller.user, "comment:moderate"),
    }).map(commentOf),
  };
}

// ---- Shared steps ----

const askNotFound = () => new ApiProblem(404, "There is no ask with this number.");

// Hidden asks are gone for everyone who may not moderate them, as on the ask page.
function findAsk(number: number, caller: ApiCaller): AskDetail | ApiProblem {
  const ask = getAsk(number);
  if (!ask || (ask.hiddenAt && !can(caller.user, "ask:moderate"))) return askNotFound();
  return ask;
}

// The same permission the page's form needs, with the page's words for a blocked account.
function allowed(caller: ApiCaller, permission: Permission): ApiProblem | undefined {
  if (can(caller.user, permission)) return undefined;
  return new ApiProblem(
    403,
    caller.user?.blocked ? "Your account is blocked from posting." : "Your account may not do this.",
  );
}

function limited(name: "ask" | "comment" | "vote", caller: ApiCaller): ApiProblem | undefined {
  if (!caller.user) return undefined;
  const limit = countUserAction(name, caller.user.id);
  if (limit.ok) return undefined;
  return new ApiProblem(429, limit.message, undefined, {
    "Retry-After": new Headers(limit.init.headers).get("Retry-After") ?? "60",
  });
}

// ---- Cursors ----

// A cursor names the list it came from (a hash of its sort, filters and search) and where its
// page ended, so it only continues that list, and asks filed meanwhile do not shift its pages.
type CursorList = { sort: string; status?: string; category?: number; q?: string };

function listFingerprint(list: CursorList): string {
  return createHash("sha256")
    .update(JSON.stringify([list.sort, list.status ?? null, list.category ?? null, list.q ?? null]))
    .digest("base64url")
    .slice(0, 16);
}

function encodeCursor(list: CursorList, key: SortKey): string {
  return Buffer.from(JSON.stringify({ l: listFingerprint(list), k: key })).toString("base64url");
}

function decodeCursor(cursor: string, list: CursorList): SortKey | ApiProblem {
  const refusal = new ApiProblem(
    400,
    "This cursor belongs to another list. Pass the nextCursor of a page of this same list (same sort, filters and search), or leave it out to start again.",
    { cursor: "This cursor belongs to another list." },
  );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return refusal;
  }
  if (typeof decoded !== "object" || decoded === null) return refusal;
  const { l, k } = decoded as { l?: unknown; k?: unknown };
  const keyLength = list.sort === "organizations" ? 3 : 2;
  const validKey =
    Array.isArray(k) &&
    k.length === keyLength &&
    k.every((v) => (typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && v.length <= 40));
  if (l !== listFingerprint(list) || !validKey) return refusal;
  return k as SortKey;
}

// ---- Operations ----

const listAsksOp = operation({
  id: "listAsks",
  method: "GET",
  path: "/asks",
  summary: "List asks",
  description:
    "The home page's list: filter by status and category, search with q, sort, and page with cursors. Hidden asks are listed only for team members' tokens.",
  scope: "read",
  tokenRequired: false,
  params: noParams,
  query: askListQuery,
  response: askListOut,
  status: 200,
  refusals: [400, 401, 403, 429],
  example: { query: { sort: "top", limit: "5" } },
  run: ({ caller, query, origin }) => {
    const statuses = listStatuses();
    if (query.status !== undefined && !statuses.some((s) => s.slug === query.status)) {
      return new ApiProblem(400, "There is no status with this slug; see /api/v1/statuses.", {
        status: "Choose one of the listed statuses.",
      });
    }
    if (query.category !== undefined && !listCategories().some((c) => c.id === query.category)) {
      return new ApiProblem(400, "There is no category with this id; see /api/v1/categories.", {
        category: "Choose one of the listed categories.",
      });
    }
    const q = query.q?.trim() || undefined;
    const search = q ? parseSearchQuery(q) : undefined;
    if (search && !search.ok)
      return new ApiProblem(400, searchMessages[search.reason], { q: searchMessages[search.reason] });
    const list: CursorList = { sort: query.sort, status: query.status, category: query.category, q };
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list);
    if (after instanceof ApiProblem) return after;
    const size = query.limit ?? pageSize;
    const { asks, total } = listAsks({
      sort: query.sort,
      status: query.status,
      categoryId: query.category,
      match: search?.match,
      page: 1,
      pageSize: size + 1,
      after,
      includeHidden: can(caller.user, "ask:moderate"),
    });
    const page = asks.slice(0, size);
    const last = page.at(-1);
    const lastKey = asks.length > size && last ? sortKeyOf(query.sort, last.id) : undefined;
    const voted = new Set(
      caller.user
        ? votedAskIds(
            caller.user.id,
            page.map((a) => a.id),
          )
        : [],
    );
    return {
      asks: page.map((a) => summaryOf(a, origin, caller.user ? voted.has(a.id) : null)),
      total,
      nextCursor: lastKey ? encodeCursor(list, lastKey) : null,
    };
  },
});

const fileAskOp = operation({
  id: "fileAsk",
  method: "POST",
  path: "/asks",
  summary: "File an ask",
  description: "Files an ask as the token's owner, as the New ask form does. Send an Idempotency-Key to retry safely.",
  scope: "write",
  tokenRequired: true,
  params: noParams,
  query: noQuery,
  body: askCreateBody,
  response: askDetailOut,
  status: 201,
  refusals: [400, 401, 403, 409, 413, 415, 422, 429],
  run: ({ caller, body, origin }) => {
    const refusal = allowed(caller, "ask:create") ?? limited("ask", caller);
    if (refusal || !caller.user) return refusal ?? askNotFound();
    const result = createAsk({ ...body, authorId: caller.user.id });
    if (!result.ok) {
      return new ApiProblem(400, "Some fields need another look; see errors.", {
        categoryId: "Choose one of the listed categories.",
      });
    }
    const ask = getAsk(result.id);
    return ask ? detailOf(ask, caller, origin) : askNotFound();
  },
});

const getAskOp = operation({
  id: "getAsk",
  method: "GET",
  path: "/asks/{number}",
  summary: "One ask",
  description: "The ask with its status details (oldest first), resolution links and comments, as its page shows them.",
  scope: "read",
  tokenRequired: false,
  params: askNumberParams,
  query: noQuery,
  response: askDetailOut,
  status: 200,
  refusals: [401, 403, 404, 429],
  example: { params: { number: "1" } },
  run: ({ caller, params, origin }) => {
    const ask = findAsk(params.number, caller);
    return ask instanceof ApiProblem ? ask : detailOf(ask, caller, origin);
  },
});

function voteOp(method: "PUT" | "DELETE") {
  const change = method === "PUT" ? castVote : retractVote;
  return operation({
    id: method === "PUT" ? "castVote" : "retractVote",
    method,
    path: "/asks/{number}/vote",
    summary: method === "PUT" ? "Vote for an ask" : "Retract a vote",
    description:
      method === "PUT"
        ? "Votes as the token's owner. Voting twice counts once. An ask in a status closed to votes answers 409."
        : "Takes the token owner's vote back. Retracting a vote that is not there changes nothing.",
    scope: "write",
    tokenRequired: true,
    params: askNumberParams,
    query: noQuery,
    response: voteOut,
    status: 200,
    refusals: [401, 403, 404, 409, 429],
    run: ({ caller, params }) => {
      const refusal = allowed(caller, "vote:cast");
      if (refusal || !caller.user) return refusal ?? askNotFound();
      const ask = findAsk(params.number, caller);
      if (ask instanceof ApiProblem) return ask;
      const limit = limited("vote", caller);
      if (limit) return limit;
      const result = change({ askId: ask.id, userId: caller.user.id });
      if (result.ok) return { number: ask.id, voted: result.voted, voteCount: result.voteCount };
      if (result.reason === "not-found") return askNotFound();
      return new ApiProblem(409, "This ask is closed to new votes.");
    },
  });
}

const commentOp = operation({
  id: "addComment",
  method: "POST",
  path: "/asks/{number}/comments",
  summary: "Comment on an ask",
  description: "Posts a comment (markdown) as the token's owner. Send an Idempotency-Key to retry safely.",
  scope: "write",
  tokenRequired: true,
  params: askNumberParams,
  query: noQuery,
  body: commentCreateBody,
  response: commentOut,
  status: 201,
  refusals: [400, 401, 403, 404, 409, 413, 415, 422, 429],
  run: ({ caller, params, body }) => {
    const refusal = allowed(caller, "comment:create");
    if (refusal || !caller.user) return refusal ?? askNotFound();
    const ask = findAsk(params.number, caller);
    if (ask instanceof ApiProblem) return ask;
    const limit = limited("comment", caller);
    if (limit) return limit;
    const bypassLock = can(caller.user, "comment:moderate");
    const result = addComment({ askId: ask.id, body: body.body, bypassLock, authorId: caller.user.id });
    if (!result.ok) {
      return result.reason === "not-found"
        ? askNotFound()
        : new ApiProblem(409, "Comments on this ask are locked.", { body: "Comments on this ask are locked." });
    }
    const comment = listCommentsFor(ask.id, { userId: caller.user.id, seesHidden: bypassLock }).find(
      (c) => c.id === result.id,
    );
    return comment ? commentOf(comment) : askNotFound();
  },
});

const statusUpdateOp = operation({
  id: "addStatusUpdate",
  method: "POST",
  path: "/asks/{number}/status-updates",
  summary: "Post a status update",
  description:
    "For team members with a token that has the team scope: records a dated status update, as the team's form does. The date may be back-dated, never before the ask was filed; links become resolution links. Send an Idempotency-Key to retry safely.",
  scope: "team",
  tokenRequired: true,
  params: askNumberParams,
  query: noQuery,
  body: statusUpdateCreateBody,
  fieldNames: statusUpdateFieldNames,
  response: statusUpdateOut,
  status: 201,
  refusals: [400, 401, 403, 404, 409, 413, 415, 422, 429],
  run: ({ caller, params, body }) => {
    const refusal = allowed(caller, "ask:triage");
    if (refusal || !caller.user) return refusal ?? askNotFound();
    const ask = findAsk(params.number, caller);
    if (ask instanceof ApiProblem) return ask;
    const result = recordStatusUpdate({ ...body, askId: ask.id, actorId: caller.user.id });
    const fieldProblem = (field: string, message: string) =>
      new ApiProblem(400, "Some fields need another look; see errors.", { [field]: message });
    if (!result.ok) {
      switch (result.reason) {
        case "not-found":
          return askNotFound();
        case "unknown-status":
          return fieldProblem("statusId", "Choose one of the listed statuses.");
        case "unknown-team":
          return fieldProblem("teamId", "Choose one of the listed teams.");
        case "date-before-filing":
          return fieldProblem("date", `The date cannot be before the ask was filed (${result.filedOn}).`);
        case "date-in-future":
          return fieldProblem("date", "The date cannot be in the future.");
      }
    }
    const update = listStatusUpdates(ask.id).find((u) => u.id === result.id);
    return update ? statusUpdateOf(update) : askNotFound();
  },
});

function listOp<R extends z.ZodType>(id: string, path: string, summary: string, response: R, run: () => z.input<R>) {
  return operation({
    id,
    method: "GET",
    path,
    summary,
    scope: "read",
    tokenRequired: false,
    params: noParams,
    query: noQuery,
    response,
    status: 200,
    refusals: [401, 403, 429],
    example: {},
    run,
  });
}

const statusesOp = listOp("listStatuses", "/statuses", "Statuses, in workflow order", statusOut.array(), () =>
  listStatuses().map(({ id, slug, name, color, isClosed, acceptsVotes }) => ({
    id,
    slug,
    name,
    color,
    isClosed,
    acceptsVotes,
  })),
);

const categoriesOp = listOp("listCategories", "/categories", "Categories", categoryOut.array(), () =>
  listCategories().map(({ id, name }) => ({ id, name })),
);

const teamsOp = listOp("listTeams", "/teams", "Teams", teamOut.array(), () =>
  listTeams().map(({ id, name }) => ({ id, name })),
);

const meOp = operation({
  id: "getMe",
  method: "GET",
  path: "/me",
  summary: "The token's owner",
  scope: "read",
  tokenRequired: true,
  params: noParams,
  query: noQuery,
  response: meOut,
  status: 200,
  refusals: [401, 403, 429],
  run: ({ caller }) => {
    const user = caller.user;
    if (!user) return new ApiProblem(401, "This call needs a token.");
    return {
      id: user.id,
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      organization: user.organization,
      team: user.team,
      scopes: [...caller.scopes],
    };
  },
});

// By path, for the routes; in reading order, for the document.
export const apiOperations = {
  "/asks": [listAsksOp, fileAskOp],
  "/asks/{number}": [getAskOp],
  "/asks/{number}/vote": [voteOp("PUT"), voteOp("DELETE")],
  "/asks/{number}/comments": [commentOp],
  "/asks/{number}/status-updates": [statusUpdateOp],
  "/statuses": [statusesOp],
  "/categories": [categoriesOp],
  "/teams": [teamsOp],
  "/me": [meOp],
} satisfies Record<string, AnyOperation[]>;

export type ApiPath = keyof typeof apiOperations;
