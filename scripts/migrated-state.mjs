/**
 * A fresh local state with the D1 migrations already applied, for the tests
 * and benchmarks that start many stacks. `wrangler d1 migrations apply`
 * starts a runtime for each migration (about 0.8 s each: 18 s for 21 of
 * them), so its result is made once for each set of migrations and copied:
 * a folder under node_modules/.cache named by a digest of the migrations'
 * names and contents and of wrangler's version, so a new or changed
 * migration makes a new one. `npm start` does not use it: it applies the
 * migrations itself, once, to the developer's own state.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { LOCAL_ENV } from "./local-env.mjs";

const root = resolve(import.meta.dirname, "..");
const cache = join(root, "node_modules/.cache/shop-along-migrated-state");

function digest() {
  const hash = createHash("sha256");
  hash.update(JSON.parse(readFileSync(join(root, "node_modules/wrangler/package.json"), "utf8")).version);
  hash.update(readFileSync(join(root, "wrangler.toml")));
  const migrations = join(root, "migrations");
  for (const name of readdirSync(migrations).filter((file) => file.endsWith(".sql")).sort()) {
    hash.update(`\0${name}\0`);
    hash.update(readFileSync(join(migrations, name)));
  }
  return hash.digest("hex").slice(0, 16);
}

/** The migrated template's folder, made first if this set of migrations has none yet. */
function template() {
  const done = join(cache, digest());
  if (existsSync(done)) return done;
  mkdirSync(cache, { recursive: true });
  const making = mkdtempSync(join(cache, "making-"));
  const result = spawnSync(resolve(root, "node_modules/.bin/wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", making], {
    cwd: root,
    env: { ...LOCAL_ENV, NO_COLOR: "1", PATH: `${resolve(root, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}` },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    rmSync(making, { recursive: true, force: true });
    throw new Error(`wrangler d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`);
  }
  try {
    // Atomic: a process that made the same template meanwhile keeps its own, which is the same.
    renameSync(making, done);
  } catch {
    rmSync(making, { recursive: true, force: true });
  }
  return done;
}

/** Fills the (empty) folder `state` with a local state whose D1 database has every migration applied. */
export function migratedState(state) {
  cpSync(template(), state, { recursive: true });
}
