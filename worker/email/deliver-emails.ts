/**
 * The email queue's consumer: sends each queued email through the `EMAIL`
 * binding (Cloudflare Email Service; `wrangler dev` simulates it and shows
 * each email locally). A send that fails is retried with a growing delay;
 * after the queue's last retry the message goes to its dead-letter queue,
 * where it is kept rather than lost.
 */
import { z } from "@hono/zod-openapi";
import { CLAIM_MS, claimSend, markSent, releaseClaim } from "../reminders/send-once.ts";
import type { QueuedEmail } from "./send-email.ts";

const Queued = z.object({
  from: z.string().min(3),
  to: z.string().min(3),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  once: z.object({ recipient: z.string(), kind: z.string() }).optional(),
});

/** 10 s, 20 s, 40 s, … up to 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));

export async function deliverEmails(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = Queued.safeParse(message.body);
    if (!parsed.success) {
      // Not an email this Worker queued: retrying cannot fix it.
      console.error("email queue: dropping a malformed message", message.id);
      message.ack();
      continue;
    }
    const email: QueuedEmail = parsed.data;
    try {
      // A reminder goes once per recipient, however often its message is delivered (reminders/send-once.ts).
      const claim = email.once ? await claimSend(env.DB, email.once) : "send";
      if (claim === "done") {
        message.ack();
        continue;
      }
      if (claim === "busy") {
        message.retry({ delaySeconds: CLAIM_MS / 1000 });
        continue;
      }
      await env.EMAIL.send({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html ? { html: email.html } : {}),
        ...(email.headers ? { headers: email.headers } : {}),
      });
      if (email.once) await markSent(env.DB, email.once);
      message.ack();
    } catch (error) {
      if (email.once) await releaseClaim(env.DB, email.once).catch(() => undefined);
      // The address is the recipient's, not a secret; the body (a sign-in link) is never logged.
      console.error("email send failed, will retry", message.id, message.attempts, String(error));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
