import { webhookEvents } from "~/domain";
import { z } from "~/validation/zod";
import { idField } from "./schema-fields";
import { eventField, webhookDescriptionMax, webhookUrlMax } from "./webhook-rules";

type EventField = ReturnType<typeof eventField>;

const ticked = Object.fromEntries(webhookEvents.map((e) => [eventField(e), z.literal("on").optional()])) as Record<
  EventField,
  z.ZodOptional<z.ZodLiteral<"on">>
>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const firstEvent = eventField(webhookEvents[0]);

export const webhookEndpointSchema = z
  .object({
    url: z
      .string({ error: "Enter the address that receives the events." })
      .trim()
      .min(1, "Enter the address that receives the events.")
      .max(webhookUrlMax, `The address must be at most ${webhookUrlMax} characters.`)
      .refine(isHttpUrl, "Enter a full web address starting with https:// or http://."),
    description: z
      .string()
      .trim()
      .max(webhookDescriptionMax, `The description must be at most ${webhookDescriptionMax} characters.`)
      .optional()
      .transform((v) => v ?? ""),
    ...ticked,
  })
  .transform(({ url, description, ...fields }) => ({
    url: new URL(url).href,
    description,
    events: webhookEvents.filter((e) => fields[eventField(e)] === "on"),
  }))
  .refine((endpoint) => endpoint.events.length > 0, { message: "Choose at least one event.", path: [firstEvent] });

export const deliveryRowSchema = z.object({ deliveryId: idField });
