/**
 * Secrets the Worker makes for itself on first use and keeps in D1
 * (`server_secrets`), so a new deployment needs no setup step: the key that
 * signs viewer tokens, the key that signs reminder unsubscribe links, the key
 * rooms' guest and moderator keys are derived from (room-keys.ts).
 */
import { randomBase62 } from "../durable-objects/random-ids.ts";

const known = new Map<string, Promise<string>>();

/** The secret named `name`, made the first time any isolate asks (the first insert wins). */
export function serverSecret(db: D1Database, name: string): Promise<string> {
  let secret = known.get(name);
  if (!secret) {
    secret = (async () => {
      await db.prepare("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING").bind(name, randomBase62(43), Date.now()).run();
      const row = await db.prepare("SELECT value FROM server_secrets WHERE name = ?").bind(name).first<{ value: string }>();
      return row!.value;
    })().catch((error) => {
      known.delete(name);
      throw error;
    });
    known.set(name, secret);
  }
  return secret;
}
