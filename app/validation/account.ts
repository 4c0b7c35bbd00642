import { z } from "~/validation/zod";
import { redirectField } from "./fields";

export const passwordMin = 10;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "Email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@company.com."));

export const signUpSchema = z.object({
  email,
  displayName: z
    .string()
    .trim()
    .min(2, "Display name must be at least 2 characters.")
    .max(60, "Display name must be at most 60 characters."),
  organization: z
    .string()
    .trim()
    .min(2, "Enter your organization.")
    .max(80, "Organization must be at most 80 characters."),
  password: z
    .string()
    .min(passwordMin, `Password must be at least ${passwordMin} characters.`)
    .max(200, "Password must be at most 200 characters."),
  redirectTo: redirectField,
});

export const signInSchema = z.object({
  email,
  password: z.string().min(1, "Enter your password.").max(200, "Password is too long."),
  redirectTo: redirectField,
});

// A signed-in device, named on the account page by a hash of its session id.
export const sessionSchema = z.object({ session: z.string().max(100) });
