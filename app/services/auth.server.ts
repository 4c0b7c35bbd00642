import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { type User, verifyLogin } from "~/models/user.server";
import { signInSchema } from "~/validation/account";

export class SignInError extends Error {}

// remix-auth decides who someone is; keeping them signed in is the session
// service's job (remix-auth v4 has no session handling of its own).
export const authenticator = new Authenticator<User>();

authenticator.use(
  new FormStrategy(async ({ form }) => {
    const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) throw new SignInError("Enter your email and password.");
    const user = await verifyLogin(parsed.data.email, parsed.data.password);
    // One message for a wrong email and a wrong password: no account discovery.
    if (!user) throw new SignInError("That email and password do not match an account.");
    return user;
  }),
  "password",
);
