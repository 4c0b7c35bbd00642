import { Form } from "@remix-run/react";
import { webhookEvents } from "~/domain";
import type { FieldErrors } from "~/validation/form";
import { eventField, webhookDescriptionMax, webhookEventLabels, webhookUrlMax } from "~/validation/webhook-rules";
import { InputField } from "./form-fields";

type Values = { url: string; description: string; events: readonly string[] };

type WebhookEndpointFormProps = {
  intent: "create" | "edit";
  idPrefix: string;
  // What the form shows: the endpoint as stored, or what the admin typed when it came back refused.
  values: Values;
  errors: FieldErrors | undefined;
  submitLabel: string;
  allowPrivate: boolean;
};

// The form that registers an endpoint, and the one that changes it: the URL, a description, the events.
export function WebhookEndpointForm({
  intent,
  idPrefix,
  values,
  errors,
  submitLabel,
  allowPrivate,
}: WebhookEndpointFormProps) {
  const eventsError = errors?.[eventField(webhookEvents[0])];
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={intent} />
      {errors?.form ? (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <InputField
        id={`${idPrefix}-url`}
        name="url"
        label="URL"
        type="url"
        required
        maxLength={webhookUrlMax}
        defaultValue={values.url}
        error={errors?.url}
        hint={
          allowPrivate
            ? "Where Asklog POSTs each event. Private and loopback addresses are allowed on this server (WEBHOOK_ALLOW_PRIVATE=1)."
            : "Where Asklog POSTs each event: a public https:// address. Private, loopback and link-local addresses are refused."
        }
      />
      <InputField
        id={`${idPrefix}-description`}
        name="description"
        label="Description (optional)"
        type="text"
        maxLength={webhookDescriptionMax}
        defaultValue={values.description}
        error={errors?.description}
      />
      <fieldset aria-describedby={eventsError ? `${idPrefix}-events-error` : undefined}>
        <legend>Events</legend>
        {webhookEvents.map((event) => (
          <p key={event}>
            <label>
              <input type="checkbox" name={eventField(event)} defaultChecked={values.events.includes(event)} />{" "}
              {webhookEventLabels[event]} (<code>{event}</code>)
            </label>
          </p>
        ))}
        {eventsError ? (
          <p className="error" id={`${idPrefix}-events-error`}>
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}

// What a refused form typed, in the form's own shape.
export function typedValues(values: Record<string, string>): Values {
  return {
    url: values.url ?? "",
    description: values.description ?? "",
    events: webhookEvents.filter((e) => values[eventField(e)] === "on"),
  };
}
