/**
 * An ended show's page plays the replay, whose player is a chunk the live
 * page never loads. Served after the end, the page names in its head what
 * the replay needs first, so that it loads beside the page's own script
 * instead of after it: the player's chunks and styles (from the viewer
 * build's manifest, `room-chunks.json`, written by client/vite.config.ts),
 * its timeline's first page, its manifest and the show's details.
 */

/** A chunk of Vite's build manifest: its file, the chunks it imports statically, its styles. */
type Chunk = { file: string; imports?: string[]; css?: string[]; isEntry?: boolean };

/** The replay player's chunk, by its source (client/src/viewer/replay-loader.tsx imports it). */
const PLAYER = "src/viewer/shop.ts";

/** The build's files never change under one deploy: read once per isolate. */
let known: Promise<string[]> | null = null;

/** The player's files not already loaded by the page's own script: its chunk, those it imports, their styles. */
export function playerFiles(manifest: Record<string, Chunk>): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    // The page's entry (and what it imports) is on its way already.
    if (!chunk || chunk.isEntry || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const next of chunk.imports ?? []) visit(next);
  };
  visit(PLAYER);
  return [...files].map((file) => `/${file}`);
}

async function readPlayerFiles(env: Env, base: string): Promise<string[]> {
  const answer = await env.ASSETS.fetch(new URL("/room-chunks.json", base));
  return answer.ok ? playerFiles(await answer.json()) : [];
}

/** The `<link>`s for an ended show's page; without the build's manifest, only the API's answers. */
export async function replayPreloads(env: Env, base: string, roomId: string): Promise<string> {
  known ??= readPlayerFiles(env, base).catch(() => ((known = null), []));
  const files = await known;
  const room = `/api/rooms/${roomId}`;
  const fetches = [`${room}/replay/events`, `${room}/replay`, room].map((href) => `<link rel="preload" href="${href}" as="fetch" crossorigin="anonymous">`);
  const chunks = files.map((href) => (href.endsWith(".css") ? `<link rel="preload" href="${href}" as="style" crossorigin>` : `<link rel="modulepreload" href="${href}">`));
  return [...fetches, ...chunks].join("");
}
