/**
 * The emails the Worker sent locally. `wrangler dev` simulates the
 * `send_email` binding: it never sends, it logs each email (with the path of
 * its text under .wrangler/tmp/email/, removed when it stops) and keeps it
 * for its Local Explorer, whose API (`/cdn-cgi/local/explorer/api/local/email/sending`,
 * on the dev server's own port) lists them and gives each one's text and HTML.
 * `npm start` prints each new one; the browser tests read the latest for an address.
 */
const EXPLORER = "/cdn-cgi/local/explorer/api/local/email/sending";

/** The sent emails, newest first: `{messageId, from, to: [...], subject, sentAt}`. */
export async function listSentEmails(origin) {
  const res = await fetch(`${origin}${EXPLORER}?per_page=100`);
  if (!res.ok) throw new Error(`the local email explorer answered ${res.status}`);
  const { result } = await res.json();
  return [...result].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
}

/** One sent email with its `text` and `html`. */
export async function readSentEmail(origin, messageId) {
  const res = await fetch(`${origin}${EXPLORER}?email_id=${encodeURIComponent(messageId)}`);
  if (!res.ok) throw new Error(`the local email explorer answered ${res.status} for ${messageId}`);
  return (await res.json()).result;
}

/** The newest email sent to `to` after `since` (ms), waiting up to `timeoutMs` for it to be sent (the queue takes a moment). */
export async function latestEmailTo(origin, to, { since = 0, timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listSentEmails(origin)).find((email) => email.to.includes(to) && Date.parse(email.sentAt) >= since);
    if (found) return readSentEmail(origin, found.messageId);
    if (Date.now() > deadline) throw new Error(`no email to ${to} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Calls `onEmail` with each email sent from `since` on (polling once a second); returns a function that stops. */
export function watchSentEmails(origin, onEmail, since = Date.now()) {
  const seen = new Set();
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        for (const email of (await listSentEmails(origin)).reverse()) {
          if (seen.has(email.messageId) || Date.parse(email.sentAt) < since) continue;
          seen.add(email.messageId);
          onEmail(await readSentEmail(origin, email.messageId));
        }
      } catch {
        // wrangler dev is starting or stopping
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return () => {
    stopped = true;
  };
}
