/** The HTTP shapes of room extensions (routes.ts): a developer's custom events and the room's event stream. */
import { z } from "@hono/zod-openapi";
import { IdempotencyHeader } from "../schemas.ts";

/** The whole body of a custom event, at most: it reaches every page of the show. */
export const CUSTOM_EVENT_BYTES = 4096;

export const CustomEventBody = z
  .object({
    type: z
      .string()
      .regex(/^x-[a-z0-9][a-z0-9._-]{0,63}$/, "must start with x- and then a lower-case letter or digit, e.g. x-quiz (letters, digits, . _ -, at most 66 characters)")
      .openapi({ example: "x-quiz", description: "Your event's name: `x-` and up to 64 lower-case letters, digits, `.`, `_` or `-`." }),
    data: z
      .unknown()
      .optional()
      .openapi({
        example: { question: "Which tea is smoked?", choices: ["Lapsang souchong", "Sencha", "Jasmine pearls"] },
        description: "Any JSON (absent: null); pages receive it as it was sent. The whole body is at most 4 KB.",
      }),
  })
  .openapi("CustomEvent", { example: { type: "x-quiz", data: { question: "Which tea is smoked?", choices: ["Lapsang souchong", "Sencha", "Jasmine pearls"] } } });

export const CustomEventPosted = z
  .object({
    id: z.string().openapi({ example: "ev_4ZkQ0s8PqTn2Lw7X" }),
    seq: z.number().int().positive().openapi({ example: 42, description: "Its number in the room's event log (the `id:` of the event stream)." }),
    at: z.number().int().openapi({ example: 1764633600000, description: "When the room took it, by the room's clock (ms since the epoch)." }),
  })
  .openapi("CustomEventPosted", { example: { id: "ev_4ZkQ0s8PqTn2Lw7X", seq: 42, at: 1764633600000 } });

/** An Idempotency-Key is optional here: with one, a retried post counts once. */
export const CustomEventHeaders = IdempotencyHeader.partial();

const seq = z.coerce.number().int().min(0);

export const EventStreamHeaders = z.object({
  "last-event-id": seq.optional().openapi({
    param: { name: "last-event-id", in: "header" },
    example: 42,
    description: "The `id:` of the last event you have: the stream resumes right after it (what a reconnecting client sends).",
  }),
});

export const EventStreamQuery = z.object({
  since: seq.optional().openapi({
    param: { name: "since", in: "query" },
    example: 0,
    description: "As Last-Event-ID, for a first connection: `0` sends the whole log first. Without either, the stream starts with the next event.",
  }),
});

export const EVENT_STREAM_EXAMPLE =
  "retry: 3000\n\nid: 42\nevent: custom\ndata: {\"type\":\"custom\",\"seq\":42,\"id\":\"ev_4ZkQ0s8PqTn2Lw7X\",\"name\":\"x-quiz\",\"data\":{\"question\":\"Which tea is smoked?\"},\"at\":1764633600000}\n\n: ping\n\n";
