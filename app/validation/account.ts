import { deliveries, notificationKinds } from "~/domain";
import { z } from "~/validation/zod";
import { deliveryField, passwordMin } from "./account-rules";
import { readingPreferencesSchema } from "./reading-preferences";
import { redirectField } from "./schema-fields";

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "Email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@company.com."));

export const displayName = z
  .string()
  .trim()
  .min(2, "Display name must be at least 2 characters.")
  .max(60, "Display name must be at most 60 characters.");

export const organization = z
  .string()
  .trim()
  .min(2, "Enter your organization.")
  .max(80, "Organization must be at most 80 characters.");

const newPassword = z
  .string()
  .min(passwordMin, `Password must be at least ${passwordMin} characters.`)
  .max(200, "Password must be at most 200 characters.");

export const signUpSchema = z.object({
  email,
  displayName,
  // Optional here: an address at a claimed domain decides it; the action asks for it otherwise.
  organization: z
    .string()
    .trim()
    .max(80, "Organization must be at most 80 characters.")
    .refine((v) => v === "" || v.length >= 2, "Organization must be at least 2 characters."),
  password: newPassword,
  redirectTo: redirectField,
});

export const signInSchema = z.object({
  email,
  password: z.string().min(1, "Enter your password.").max(200, "Password is too long."),
  redirectTo: redirectField,
});

// The reset link's form: its new password follows the same rules as at sign-up.
export const newPasswordSchema = z.object({ password: signUpSchema.shape.password });

export const forgotPasswordSchema = z.object({ email });

// A signed-in device, named on the account page by a hash of its session id.
export const sessionSchema = z.object({ session: z.string().max(100) });

// The account page's forms check what sign-up checks, so no account can hold a name or
// password that sign-up would have refused.
// Team members and admins may have no organization: left empty, it is none (a partner's is required by the action).
export const profileSchema = z.object({
  displayName,
  organization: z
    .string()
    .trim()
    .max(80, "Organization must be at most 80 characters.")
    .refine((v) => v === "" || v.length >= 2, "Organization must be at least 2 characters.")
    .transform((v) => v || null),
});

// The profile visibility button sends the state it switches to.
export const profileVisibilitySchema = z.object({ hidden: z.enum(["true", "false"]).transform((v) => v === "true") });

export const emailChangeSchema = z.object({ email });

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(200, "Password is too long."),
  // Named like sign-up's field, so a refused form never echoes it back.
  password: newPassword,
});

const delivery = z.enum(deliveries, { message: "Choose how to hear about this." });
const deliveryFields = Object.fromEntries(notificationKinds.map((kind) => [deliveryField(kind), delivery]));

// An unticked checkbox sends nothing at all.
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);

export const notificationSettingsSchema = z.object({
  // Built from the list of kinds, so a new kind gets its field; the keys are exactly deliveryField(kind).
  ...(deliveryFields as Record<ReturnType<typeof deliveryField>, typeof delivery>),
  autoFollowFiled: checkbox,
  autoFollowVoted: checkbox,
  autoFollowCommented: checkbox,
  digestHour: wholeNumber(0, 23, "Choose an hour from the list."),
  digestWeekday: wholeNumber(0, 6, "Choose a day from the list."),
  locale: readingPreferencesSchema.shape.locale,
  timeZone: readingPreferencesSchema.shape.timeZone,
  mailOff: checkbox,
});
