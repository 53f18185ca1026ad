/**
 * Sending an email: the one function the rest of the Worker calls. The email
 * is put on a Queue and only then acknowledged; the queue's consumer
 * (deliver-emails.ts) hands it to Cloudflare Email Service, retrying until it
 * goes, so a failing send never loses an email that was promised.
 */
export type Email = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers Email Service allows (e.g. List-Unsubscribe). */
  headers?: Record<string, string>;
  /** A reminder's row in D1's `reminder_sends`: the consumer sends it only once (worker/reminders/send-once.ts). */
  once?: { recipient: string; kind: string };
};

/** What travels on the queue: the email and the address it is sent from. */
export type QueuedEmail = Email & { from: string };

/** `MAIL_FROM`, else `shop-along@` the host of `PUBLIC_URL`, else a local address (development and tests). */
export function mailFrom(env: Env): string {
  if (env.MAIL_FROM) return env.MAIL_FROM;
  const host = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).hostname : "";
  return `shop-along@${host && host !== "127.0.0.1" ? host : "localhost"}`;
}

/** Queues the email; resolves once the queue holds it. */
export async function sendEmail(env: Env, email: Email): Promise<void> {
  await env.EMAIL_QUEUE.send({ ...email, from: mailFrom(env) } satisfies QueuedEmail, { contentType: "json" });
}

/** Queues many at once (one call per 100, the queue's batch limit); resolves once the queue holds them all. */
export async function sendEmails(env: Env, emails: Email[]): Promise<void> {
  for (let i = 0; i < emails.length; i += 100) {
    const batch = emails.slice(i, i + 100).map((email) => ({ body: { ...email, from: mailFrom(env) } satisfies QueuedEmail, contentType: "json" as const }));
    await env.EMAIL_QUEUE.sendBatch(batch);
  }
}
