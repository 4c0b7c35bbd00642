import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import Bowser from "bowser";
import { ApiTokens } from "~/components/api-tokens";
import { type Column, DataTable } from "~/components/data-table";
import { InputField } from "~/components/form-fields";
import { plural } from "~/components/format";
import { NotificationSettings } from "~/components/notification-settings";
import { Time } from "~/components/time";
import { defaultDelivery, notificationKinds, type TopicType } from "~/domain";
import { createApiToken, listOwnTokens, revokeApiToken } from "~/models/api-token.server";
import { listCategories } from "~/models/category.server";
import { nextDigests, notificationSettings, saveNotificationSettings } from "~/models/notification-preference.server";
import { claimedOrganization } from "~/models/organization.server";
import { getProfile } from "~/models/profile.server";
import { endOtherUserSessions, endUserSession, listUserSessions, sessionHandle } from "~/models/session.server";
import { siteSettings } from "~/models/site-setting.server";
import { listTeams } from "~/models/team.server";
import { followTopic, listTopicFollows, unfollowTopic } from "~/models/topic-subscription.server";
import { addressState, changePassword, setProfileHidden, type User, updateProfile } from "~/models/user.server";
import { sendEmailConfirmation } from "~/services/account-mail.server";
import { clearRevealedToken, redirectRevealingToken, revealedToken } from "~/services/api-token-reveal.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { can } from "~/services/permission.server";
import { countConfirmationMail, retryAfterHeaders } from "~/services/rate-limit.server";
import { endSession, requireUserAndSession } from "~/services/session.server";
import { personPath } from "~/slug";
import {
  emailChangeSchema,
  notificationSettingsSchema,
  passwordChangeSchema,
  profileSchema,
  profileVisibilitySchema,
  sessionSchema,
} from "~/validation/account";
import { deliveryField, passwordMin } from "~/validation/account-rules";
import { tokenCreateSchema, tokenRowSchema } from "~/validation/api-token";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Your account · Asklog" }];

// Retry-After for a refused form; a new API token, once shown, is not shown again.
export const headers: HeadersFunction = (args) => {
  const headers = new Headers(retryAfterHeaders(args));
  const clear = clearRevealedToken(args);
  if (clear) headers.append("Set-Cookie", clear);
  return headers;
};

// The categories and team queues someone may follow for new asks: every category, and their own
// team's queue (an admin: every team's). Partners follow asks, not topics.
function followableTopics(user: User): { topicType: TopicType; topicId: number; name: string }[] {
  if (!can(user, "ask:triage")) return [];
  const teams = user.role === "admin" ? listTeams() : listTeams().filter((team) => team.id === user.teamId);
  return [
    ...listCategories().map((c) => ({ topicType: "category" as const, topicId: c.id, name: c.name })),
    ...teams.map((t) => ({ topicType: "team" as const, topicId: t.id, name: t.name })),
  ];
}

// One checkbox per topic, each with its own name, so the form reads like any other.
function topicBox(topic: { topicType: TopicType; topicId: number }): string {
  return `${topic.topicType}-${topic.topicId}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireUserAndSession(request);
  const current = sessionHandle(session.id);
  const address = addressState(user.id);
  const settings = notificationSettings(user.id);
  if (!address || !settings) throw new Response("Account not found", { status: 404 });
  const followed = new Set(listTopicFollows(user.id).map(topicBox));
  return {
    user: {
      displayName: user.displayName,
      email: user.email,
      organization: user.organization,
      team: user.team,
      // Set when the address's domain decides the organization: the field is then fixed.
      organizationByDomain: claimedOrganization(user.email) ?? null,
    },
    address,
    settings,
    nextDigests: nextDigests(settings),
    timeZones: Intl.supportedValuesOf("timeZone"),
    profile: { path: personPath(user), hidden: getProfile(user.id)?.profileHidden ?? false },
    topics: followableTopics(user).map((t) => ({ ...t, box: topicBox(t), followed: followed.has(topicBox(t)) })),
    sessions: listUserSessions(user.id).map((s) => ({
      handle: s.handle,
      device: describeDevice(s.userAgent),
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      current: s.handle === current,
    })),
    apiTokens: {
      tokens: listOwnTokens(user.id),
      newToken: await revealedToken(request),
      teamScope: can(user, "ask:triage"),
      noExpiryAllowed: siteSettings().tokensWithoutExpiry,
    },
  };
}

// The session the request came with: the one that stays signed in.
type Context = { sessionId: string };
const intent = intentsFor<Context>();

const intents = () => ({
  profile: intent({
    permission: "account:edit",
    schema: profileSchema,
    run: ({ input, user }) => {
      // Partners are known by their company; team members and admins by their team.
      if (input.organization === null && user.role === "member")
        return refuse({ organization: "Enter your organization." });
      const result = updateProfile({ userId: user.id, ...input });
      if (!result.ok) return refuse({ form: "Your account could not be found." }, 404);
      return redirectWithNotice("/account", "Profile saved.");
    },
  }),
  email: intent({
    permission: "account:edit",
    schema: emailChangeSchema,
    run: ({ input, user }) => {
      // The current address may be confirmed again (after a bounce, or if it never was); a working one needs nothing.
      const address = addressState(user.id);
      if (input.email === user.email && address?.confirmed && !address.bouncedAt) {
        return refuse({ email: "This is already your address. Enter a new one to change it." });
      }
      const limit = countConfirmationMail(user.id);
      if (!limit.ok) return refuse({ email: limit.message }, limit.init);
      sendEmailConfirmation({ userId: user.id, email: input.email });
      return redirectWithNotice(
        "/account",
        `We sent a link to ${input.email}. Your address stays ${user.email} until you follow it.`,
      );
    },
  }),
  password: intent({
    permission: "account:edit",
    schema: passwordChangeSchema,
    run: async ({ input, user, sessionId }) => {
      const result = await changePassword({
        userId: user.id,
        currentPassword: input.currentPassword,
        newPassword: input.password,
      });
      if (!result.ok) {
        return result.reason === "wrong-password"
          ? refuse({ currentPassword: "That is not your current password." })
          : refuse({ form: "Your account could not be found." }, 404);
      }
      // Whoever knew the old password is signed out; this device stays in.
      const { ended } = endOtherUserSessions({ keepId: sessionId, userId: user.id });
      return redirectWithNotice(
        "/account",
        ended ? `Password changed. Signed out of ${plural(ended, "other device")}.` : "Password changed.",
      );
    },
  }),
  notifications: intent({
    permission: "account:edit",
    schema: notificationSettingsSchema,
    run: ({ input, user }) => {
      const deliveries = { ...defaultDelivery };
      for (const kind of notificationKinds) deliveries[kind] = input[deliveryField(kind)];
      const result = saveNotificationSettings({
        userId: user.id,
        deliveries,
        autoFollow: {
          filed: input.autoFollowFiled,
          voted: input.autoFollowVoted,
          commented: input.autoFollowCommented,
        },
        digestHour: input.digestHour,
        digestWeekday: input.digestWeekday,
        locale: input.locale,
        timeZone: input.timeZone,
        mailOff: input.mailOff,
      });
      if (!result.ok) {
        if (result.reason === "bad-locale") return refuse({ locale: "Choose a language from the list." });
        if (result.reason === "bad-time-zone") return refuse({ timeZone: "Choose a time zone from the list." });
        return refuse({ form: "Your account could not be found." }, 404);
      }
      return redirectWithNotice("/account#notifications", "Notification settings saved.");
    },
  }),
  topics: intent({
    permission: "ask:triage",
    run: ({ user, form }) => {
      // Only what the page offered changes: a team member's form cannot follow another team's queue.
      for (const topic of followableTopics(user)) {
        const change = { userId: user.id, topicType: topic.topicType, topicId: topic.topicId };
        if (form.get(topicBox(topic)) === "on") followTopic(change);
        else unfollowTopic(change);
      }
      return redirectWithNotice("/account#new-asks", "The categories and queues you follow are saved.");
    },
  }),
  "create-token": intent({
    permission: "account:edit",
    schema: tokenCreateSchema,
    run: ({ user, input }) => {
      const result = createApiToken({
        ...input,
        teamScopeAllowed: can(user, "ask:triage"),
        expiryRequired: !siteSettings().tokensWithoutExpiry,
        userId: user.id,
      });
      if (result.ok) return redirectRevealingToken("/account#api-tokens", result.token);
      if (result.reason === "team-scope") return refuse({ "scope.read": "Only team members may use the team scope." });
      if (result.reason === "expiry-required") return refuse({ expiry: "Tokens on this site must expire." });
      throw data("Account not found", { status: 404 });
    },
  }),
  "revoke-token": intent({
    permission: "account:edit",
    schema: tokenRowSchema,
    run: async ({ user, input }) => {
      const result = revokeApiToken({ tokenId: input.tokenId, ownerId: user.id, actorId: user.id });
      if (!result.ok) throw data("Token not found", { status: 404 });
      return redirectWithNotice("/account#api-tokens", "Token revoked. Calls that use it are refused from now on.");
    },
  }),
  "profile-visibility": intent({
    permission: "account:edit",
    schema: profileVisibilitySchema,
    run: ({ input, user }) => {
      const result = setProfileHidden({ userId: user.id, hidden: input.hidden });
      if (!result.ok) return refuse({ form: "Your account could not be found." }, 404);
      return redirectWithNotice(
        "/account#profile-visibility",
        input.hidden ? "Your profile page is hidden." : "Your profile page is visible again.",
      );
    },
  }),
  "sign-out-session": intent({
    permission: "account:sessions",
    schema: sessionSchema,
    run: ({ input, user, sessionId, request }) => {
      // Ending the session in use is an ordinary sign-out: the cookie goes too.
      if (input.session === sessionHandle(sessionId)) return endSession(request);
      const result = endUserSession({ handle: input.session, userId: user.id });
      return redirectWithNotice(
        "/account",
        result.ok ? "Signed out of that device." : "That device was already signed out.",
      );
    },
  }),
  "sign-out-others": intent({
    permission: "account:sessions",
    run: ({ user, sessionId }) => {
      const { ended } = endOtherUserSessions({ keepId: sessionId, userId: user.id });
      return redirectWithNotice("/account", `Signed out of ${plural(ended, "other device")}.`);
    },
  }),
  "sign-out-everywhere": intent({
    permission: "account:sessions",
    run: ({ user, sessionId, request }) => {
      endOtherUserSessions({ keepId: sessionId, userId: user.id });
      return endSession(request, "Signed out on every device.");
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), {
    context: async () => ({ sessionId: (await requireUserAndSession(request)).session.id }),
  });
}

function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const { browser, os } = Bowser.parse(userAgent);
  const parts = [browser.name, os.name].filter(Boolean);
  return parts.length === 2 ? `${parts[0]} on ${parts[1]}` : (parts[0] ?? userAgent.slice(0, 60));
}

type Device = ReturnType<typeof useLoaderData<typeof loader>>["sessions"][number];

const columns: Column<Device>[] = [
  {
    header: "Device",
    cell: (s) => (
      <>
        {s.device}
        {s.current ? <strong> (this device)</strong> : null}
      </>
    ),
  },
  { header: "Signed in", cell: (s) => <Time value={s.createdAt} relative /> },
  { header: "Expires", cell: (s) => <Time value={s.expiresAt} /> },
  {
    header: "Action",
    hideHeader: true,
    cell: (s) => (
      <Form method="post">
        <input type="hidden" name="session" value={s.handle} />
        <button type="submit" name="intent" value="sign-out-session" className="secondary">
          Sign out<span className="visually-hidden"> {s.device}</span>
        </button>
      </Form>
    ),
  },
];

type Reply = ReturnType<typeof useActionData<typeof action>>;

// A refused form's messages and values, only on the form that was sent: each form on the page answers for itself.
function replyTo(reply: Reply, name: string) {
  return reply && reply.intent === name ? reply : undefined;
}

function ProfileForm({ user, reply, busy }: { user: LoaderUser; reply: Reply; busy: boolean }) {
  const own = replyTo(reply, "profile");
  const errors: Partial<Record<string, string>> = own?.errors ?? {};
  return (
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="profile" />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <InputField
          id="displayName"
          name="displayName"
          label="Display name"
          hint="Shown next to your asks and comments."
          error={errors.displayName}
          type="text"
          autoComplete="name"
          required
          defaultValue={own?.values.displayName ?? user.displayName}
        />
        {user.organizationByDomain ? (
          <InputField
            id="organization"
            name="organization"
            label="Organization"
            hint={`Set by your address: people at ${user.organizationByDomain.domain} belong to ${user.organizationByDomain.name}.`}
            type="text"
            readOnly
            defaultValue={user.organizationByDomain.name}
          />
        ) : (
          <InputField
            id="organization"
            name="organization"
            label="Organization"
            hint="Your company, shown next to your name."
            error={errors.organization}
            type="text"
            autoComplete="organization"
            required={!user.team}
            defaultValue={own?.values.organization ?? user.organization ?? ""}
          />
        )}
        <button type="submit" disabled={busy}>
          Save profile
        </button>
      </Form>
    </section>
  );
}

function ProfileVisibility({ profile, busy }: { profile: LoaderData["profile"]; busy: boolean }) {
  return (
    <section id="profile-visibility" aria-labelledby="profile-visibility-heading">
      <h2 id="profile-visibility-heading">Your profile page</h2>
      <p>
        <Link to={profile.path}>Your profile page</Link> shows your name, your organization, the asks you filed and your
        comments, and your votes to those allowed to see which organizations voted. Your name on asks and comments links
        to it.
      </p>
      <p>
        {profile.hidden
          ? "It is hidden: others find no page, and your name shows without a link. What you wrote stays where you wrote it, under your name. You and the program team can still open the page."
          : "Hiding it takes the page away for everyone but you and the program team, and your name shows without a link. What you wrote stays where you wrote it, under your name."}
      </p>
      <Form method="post">
        <input type="hidden" name="hidden" value={profile.hidden ? "false" : "true"} />
        <button type="submit" name="intent" value="profile-visibility" className="secondary" disabled={busy}>
          {profile.hidden ? "Show my profile page" : "Hide my profile page"}
        </button>
      </Form>
    </section>
  );
}

function EmailSection({ address, reply, busy }: { address: LoaderData["address"]; reply: Reply; busy: boolean }) {
  const own = replyTo(reply, "email");
  const errors: Partial<Record<string, string>> = own?.errors ?? {};
  return (
    <section aria-labelledby="email-heading">
      <h2 id="email-heading">Email address</h2>
      <p>
        Mail goes to <strong>{address.email}</strong>
        {address.confirmed
          ? ", which is confirmed."
          : ", which is not confirmed yet: Asklog sends it no mail until it is."}
      </p>
      {address.bouncedAt ? (
        <div className="form-error">
          <p>
            Mail to this address bounced on <Time value={address.bouncedAt} />
            {address.bounceReason ? <>: {address.bounceReason}</> : "."}
          </p>
          <p>Asklog sends no mail until you change the address or confirm it again.</p>
        </div>
      ) : null}
      {address.mailOff ? <p>You stopped all mail; turn it back on under Notifications.</p> : null}
      {address.pendingEmail ? (
        <p>
          A confirmation link is waiting at {address.pendingEmail}. Your address stays {address.email} until it is
          followed.
        </p>
      ) : null}
      {address.pendingEmail || !address.confirmed ? (
        <Form method="post" action="/confirm-email" className="actions">
          <button type="submit" className="secondary" disabled={busy}>
            Send the link again
          </button>
        </Form>
      ) : address.bouncedAt ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="email" />
          <input type="hidden" name="email" value={address.email} />
          <button type="submit" className="secondary" disabled={busy}>
            Confirm {address.email} again
          </button>
        </Form>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="email" />
        <InputField
          id="email"
          name="email"
          label="New email address"
          hint="We send a link to the new address; it becomes your address once you follow it."
          error={errors.email}
          type="email"
          autoComplete="email"
          required
          defaultValue={own?.values.email}
        />
        <button type="submit" disabled={busy}>
          Change email address
        </button>
      </Form>
    </section>
  );
}

function PasswordForm({ reply, busy }: { reply: Reply; busy: boolean }) {
  const errors: Partial<Record<string, string>> = replyTo(reply, "password")?.errors ?? {};
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="password" />
        <InputField
          id="currentPassword"
          name="currentPassword"
          label="Current password"
          error={errors.currentPassword}
          type="password"
          autoComplete="current-password"
          required
        />
        <InputField
          id="password"
          name="password"
          label="New password"
          hint={`At least ${passwordMin} characters. Your other devices are signed out.`}
          error={errors.password}
          type="password"
          autoComplete="new-password"
          required
        />
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </Form>
    </section>
  );
}

function TopicFollows({ topics, busy }: { topics: LoaderData["topics"]; busy: boolean }) {
  const groups = [
    { type: "category", legend: "Categories" },
    { type: "team", legend: "Team queues" },
  ] as const;
  return (
    <section id="new-asks" aria-labelledby="new-asks-heading">
      <h2 id="new-asks-heading">New asks to hear about</h2>
      <p className="hint">How they reach you is the “New asks” setting under Notifications.</p>
      <Form method="post">
        <input type="hidden" name="intent" value="topics" />
        {groups.map((group) => {
          const boxes = topics.filter((t) => t.topicType === group.type);
          return boxes.length ? (
            <fieldset key={group.type}>
              <legend>{group.legend}</legend>
              <div className="inline-form">
                {boxes.map((t) => (
                  <label key={t.topicId}>
                    <input type="checkbox" name={t.box} defaultChecked={t.followed} /> {t.name}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null;
        })}
        <button type="submit" disabled={busy}>
          Save what I follow
        </button>
      </Form>
    </section>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type LoaderUser = LoaderData["user"];

export default function Account() {
  const { user, address, settings, nextDigests, timeZones, topics, sessions, profile, apiTokens } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>Your account</h1>
      <dl className="account-details">
        <dt>Name</dt>
        <dd>{user.displayName}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        {user.organization ? (
          <>
            <dt>Organization</dt>
            <dd>{user.organization}</dd>
          </>
        ) : null}
        {user.team ? (
          <>
            <dt>Team</dt>
            <dd>{user.team}</dd>
          </>
        ) : null}
      </dl>

      <ProfileForm user={user} reply={reply} busy={busy} />
      <ProfileVisibility profile={profile} busy={busy} />
      <EmailSection address={address} reply={reply} busy={busy} />
      <PasswordForm reply={reply} busy={busy} />
      <NotificationSettings
        settings={settings}
        nextDigests={nextDigests}
        timeZones={timeZones}
        reply={replyTo(reply, "notifications")}
        submitting={busy}
      />
      {topics.length ? <TopicFollows topics={topics} busy={busy} /> : null}
      <ApiTokens
        {...apiTokens}
        errors={replyTo(reply, "create-token")?.errors ?? {}}
        values={replyTo(reply, "create-token")?.values ?? {}}
        busy={busy}
      />

      <h2>Where you are signed in</h2>
      <DataTable
        caption="Where you are signed in"
        captionHidden
        columns={columns}
        rows={sessions}
        rowKey={(s) => s.handle}
      />
      <div className="actions">
        {sessions.length > 1 ? (
          <Form method="post">
            <button type="submit" name="intent" value="sign-out-others" className="secondary">
              Sign out all other devices
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere">
            Sign out everywhere
          </button>
        </Form>
      </div>
    </>
  );
}
