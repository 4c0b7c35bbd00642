import { Form } from "@remix-run/react";
import { deliveries, deliveryLabels, notificationKindLabels, notificationKinds } from "~/domain";
import type { NotificationSettings as SavedSettings } from "~/models/notification-preference.server";
import { deliveryField } from "~/validation/account-rules";
import { Time } from "./time";

// What the form shows: the saved settings, as the model reads them.
export type NotificationSettingsValues = SavedSettings;

// Languages most readers pick, each named in itself (and marked as such for screen readers).
export const commonLocales = [
  { tag: "en-US", name: "English (United States)" },
  { tag: "en-GB", name: "English (United Kingdom)" },
  { tag: "de-DE", name: "Deutsch (Deutschland)" },
  { tag: "fr-FR", name: "Français (France)" },
  { tag: "es-ES", name: "Español (España)" },
  { tag: "it-IT", name: "Italiano (Italia)" },
  { tag: "nl-NL", name: "Nederlands (Nederland)" },
  { tag: "pt-BR", name: "Português (Brasil)" },
  { tag: "pl-PL", name: "Polski (Polska)" },
  { tag: "sv-SE", name: "Svenska (Sverige)" },
  { tag: "ja-JP", name: "日本語 (日本)" },
  { tag: "zh-CN", name: "中文 (中国)" },
  { tag: "ko-KR", name: "한국어 (대한민국)" },
];

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const hours = Array.from({ length: 24 }, (_, hour) => hour);
const browsers = "Use my browser's";

const autoFollowBoxes = [
  { name: "autoFollowFiled", key: "filed", label: "Asks I file" },
  { name: "autoFollowVoted", key: "voted", label: "Asks I vote on" },
  { name: "autoFollowCommented", key: "commented", label: "Asks I comment on" },
] as const;

type Props = {
  settings: NotificationSettingsValues;
  nextDigests: { daily: string; weekly: string };
  // Intl's list from the server, so the browser renders the same options it does.
  timeZones: string[];
  // After a refused submit: what was sent, and a message per field.
  reply?: { errors: Partial<Record<string, string>>; values: Record<string, string> };
  submitting?: boolean;
};

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p className="error" id={id}>
      {message}
    </p>
  ) : null;
}

// Every notification setting in one form, saved together (linked from mail as /account#notifications).
export function NotificationSettings({ settings, nextDigests, timeZones, reply, submitting = false }: Props) {
  const errors = reply?.errors ?? {};
  const sent = reply?.values;
  const text = (name: string, saved: string) => sent?.[name] ?? saved;
  // A refused submit shows the boxes as they were sent: an unticked one sent nothing.
  const ticked = (name: string, saved: boolean) => (sent ? sent[name] === "on" : saved);
  const describedBy = (name: string, hint?: string) =>
    [hint, errors[name] ? `${name}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const locale = text("locale", settings.locale ?? "");
  const timeZone = text("timeZone", settings.timeZone ?? "");
  const localeChoices = commonLocales.some((l) => l.tag === locale)
    ? commonLocales
    : [...commonLocales, ...(locale ? [{ tag: locale, name: locale }] : [])];

  return (
    <section id="notifications" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      {errors.form ? (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      ) : reply ? (
        <p className="form-error" role="alert">
          Nothing was saved. Please correct the settings marked below.
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="notifications" />

        <fieldset>
          <legend>How you hear about each kind of news</legend>
          {notificationKinds.map((kind) => {
            const name = deliveryField(kind);
            const chosen = text(name, settings.deliveries[kind]);
            return (
              <fieldset key={kind} aria-describedby={describedBy(name)} aria-invalid={errors[name] ? true : undefined}>
                <legend>{notificationKindLabels[kind]}</legend>
                <div className="inline-form">
                  {deliveries.map((delivery) => (
                    <label key={delivery}>
                      <input type="radio" name={name} value={delivery} defaultChecked={chosen === delivery} />{" "}
                      {deliveryLabels[delivery]}
                    </label>
                  ))}
                </div>
                <FieldError id={`${name}-error`} message={errors[name]} />
              </fieldset>
            );
          })}
        </fieldset>

        <fieldset>
          <legend>Follow asks automatically</legend>
          <p className="hint" id="auto-follow-hint">
            Following an ask is how you hear about it. You can still follow or unfollow any ask on its page.
          </p>
          <div className="inline-form">
            {autoFollowBoxes.map((box) => (
              <label key={box.name}>
                <input
                  type="checkbox"
                  name={box.name}
                  defaultChecked={ticked(box.name, settings.autoFollow[box.key])}
                  aria-describedby="auto-follow-hint"
                />{" "}
                {box.label}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>Digests</legend>
          <div className="field">
            <label htmlFor="digestHour">Time of day</label>
            <select
              id="digestHour"
              name="digestHour"
              defaultValue={text("digestHour", String(settings.digestHour))}
              aria-describedby={describedBy("digestHour", "digestHour-hint")}
              aria-invalid={errors.digestHour ? true : undefined}
            >
              {hours.map((hour) => (
                <option key={hour} value={hour}>
                  {`${String(hour).padStart(2, "0")}:00`}
                </option>
              ))}
            </select>
            <p className="hint" id="digestHour-hint">
              {settings.timeZone
                ? `In your time zone, ${settings.timeZone}.`
                : "In UTC, until you choose your time zone below."}
            </p>
            <FieldError id="digestHour-error" message={errors.digestHour} />
          </div>
          <div className="field">
            <label htmlFor="digestWeekday">Day of the weekly digest</label>
            <select
              id="digestWeekday"
              name="digestWeekday"
              defaultValue={text("digestWeekday", String(settings.digestWeekday))}
              aria-describedby={describedBy("digestWeekday")}
              aria-invalid={errors.digestWeekday ? true : undefined}
            >
              {weekdays.map((name, day) => (
                <option key={name} value={day}>
                  {name}
                </option>
              ))}
            </select>
            <FieldError id="digestWeekday-error" message={errors.digestWeekday} />
          </div>
          <p>
            Next daily digest: <Time value={nextDigests.daily} relative />. Next weekly digest:{" "}
            <Time value={nextDigests.weekly} relative />.
          </p>
        </fieldset>

        <fieldset>
          <legend>Dates and language</legend>
          <div className="field">
            <label htmlFor="timeZone">Time zone</label>
            <select
              id="timeZone"
              name="timeZone"
              defaultValue={timeZone}
              aria-describedby={describedBy("timeZone")}
              aria-invalid={errors.timeZone ? true : undefined}
            >
              <option value="">{browsers}</option>
              {timeZones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll("_", " ")}
                </option>
              ))}
            </select>
            <FieldError id="timeZone-error" message={errors.timeZone} />
          </div>
          <div className="field">
            <label htmlFor="locale">Language for dates</label>
            <select
              id="locale"
              name="locale"
              defaultValue={locale}
              aria-describedby={describedBy("locale")}
              aria-invalid={errors.locale ? true : undefined}
            >
              <option value="">{browsers}</option>
              {localeChoices.map((l) => (
                <option key={l.tag} value={l.tag} lang={l.tag}>
                  {l.name}
                </option>
              ))}
            </select>
            <FieldError id="locale-error" message={errors.locale} />
          </div>
        </fieldset>

        <fieldset>
          <legend>All mail</legend>
          <label>
            <input
              type="checkbox"
              name="mailOff"
              defaultChecked={ticked("mailOff", settings.mailOff)}
              aria-describedby="mailOff-hint"
            />{" "}
            Stop all mail
          </label>
          <p className="hint" id="mailOff-hint">
            Asklog sends you no mail at all, whatever is chosen above. Notifications still appear in the app.
          </p>
        </fieldset>

        <button type="submit" disabled={submitting}>
          Save notification settings
        </button>
      </Form>
    </section>
  );
}
