/**
 * The server's own secrets (signing keys), made on first use and kept in D1
 * (`server_secrets`), so a new deployment needs no setup step. Each is read
 * once per isolate.
 */
import { randomBase62 } from "../durable-objects/random-ids.ts";

const loaded = new Map<string, Promise<string>>();

export function serverSecret(db: D1Database, name: string): Promise<string> {
  let secret = loaded.get(name);
  if (!secret) {
    secret = (async () => {
      await db
        .prepare("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")
        .bind(name, randomBase62(43), Date.now())
        .run();
      const row = await db.prepare("SELECT value FROM server_secrets WHERE name = ?").bind(name).first<{ value: string }>();
      return row!.value;
    })().catch((error) => {
      loaded.delete(name);
      throw error;
    });
    loaded.set(name, secret);
  }
  return secret;
}
