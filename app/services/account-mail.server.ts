import { activeUserByEmail } from "~/models/user.server";
import { mailUserLink } from "~/models/user-token.server";
import { publicOrigin } from "~/settings.server";
import { linkMail } from "./mail-message.server";

// Mail about the account itself: confirming an address and resetting a password. Both go
// through the outbox like every other mail, so a request never waits on SMTP.

const hour = 60 * 60 * 1000;

// Sign-up and a changed address both come here; `email` is the address being confirmed, and
// the account keeps its current one until the link is followed.
export function sendEmailConfirmation({ userId, email }: { userId: number; email: string }): void {
  mailUserLink({
    userId,
    purpose: "confirm-email",
    email,
    lifetimeMs: 24 * hour,
    mail: (token) =>
      linkMail({
        purpose: "confirm-email",
        userId,
        to: email,
        subject: "Confirm your email address for Asklog",
        lines: [
          `Follow the link below to confirm ${email} as the address of your Asklog account.`,
          "Until you do, Asklog sends no mail to it. The link works for 24 hours.",
        ],
        action: { label: `Confirm ${email}`, url: `${publicOrigin()}/confirm-email/${token}` },
      }),
  });
}

// The caller always gets the same (nothing): whether an address has an account must not show
// in the answer, its status code, or anything else the request can see.
export function sendPasswordReset(email: string): void {
  const user = activeUserByEmail(email);
  if (!user) return;
  mailUserLink({
    userId: user.id,
    purpose: "reset-password",
    email: user.email,
    lifetimeMs: hour,
    mail: (token) =>
      linkMail({
        purpose: "reset-password",
        userId: user.id,
        to: user.email,
        subject: "Reset your Asklog password",
        lines: [
          "Someone asked to reset the password of the Asklog account for this address.",
          "The link below works once, for one hour. Setting a new password signs the account out everywhere else.",
        ],
        action: { label: "Choose a new password", url: `${publicOrigin()}/reset-password/${token}` },
      }),
  });
}
