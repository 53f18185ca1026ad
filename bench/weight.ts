/**
 * `npm run bench:weight`: what the viewer page downloads before the first
 * tap, file by file and source module by source module, gzipped.
 *
 * For the working tree (and, with `--against <git ref>`, for that commit
 * too, as "before"), in a temporary copy of the tree (with this checkout's
 * node_modules, or its own `npm ci` if its package-lock.json differs):
 *
 * 1. Builds the client as `npm run build` does, plus hidden sourcemaps (no
 *    sourceMappingURL comment: the scripts are byte for byte the real ones).
 * 2. Attributes the gzipped bytes of every script to its source modules
 *    through the sourcemap, and those of every stylesheet to its CSS files
 *    (a second build marks where each file's rules start). A module's share
 *    is what it adds to gzip where it sits in the file: gzip(file up to the
 *    end of its code) − gzip(file up to its start), so the shares of a file
 *    add up to its gzipped size, and a module that repeats what came before
 *    it costs little, as it does in the real file.
 * 3. Counts what the budget check counts (scripts/page-weight.mjs), and
 *    checks that against reality: starts the whole stack of each tree,
 *    opens a live show with a pinned product in Chromium (a phone, English
 *    and Chinese), waits 7 s without touching anything and lists what the
 *    page fetched. Then times fresh loads on a throttled network, the trees
 *    taking turns.
 *
 * Every file is gzipped at level 9 on its own, as the budget check does.
 *
 *   npm run bench:weight                         the working tree
 *   npm run bench:weight -- --against 2b69644    and that commit, as "before"
 *   npm run bench:weight -- --no-browser         skip step 3
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { createShow, launchBrowser, phone } from "../e2e/browser.ts";
// @ts-expect-error: a plain .mjs module shared with the budget check.
import { LANGS, measurePage } from "../scripts/page-weight.mjs";
import { writeSection } from "./results.ts";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const against = args.includes("--against") ? args[args.indexOf("--against") + 1] : undefined;
const browserCheck = !args.includes("--no-browser");
const PAGE = "room.html";
const IDLE_MS = 7000;
/** A phone on a middling mobile network: 150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up (Chromium's emulation). */
const SLOW = { offline: false, latency: 150, downloadThroughput: 200 * 1024, uploadThroughput: 94 * 1024 };
const TIMING_RUNS = 5;

type Lang = "en" | "zh-CN";
type Share = { module: string; raw: number; gzip: number };
type FileWeight = { path: string; kind: string; lang?: Lang; raw: number; gzip: number; shares: Share[] };
type Fetched = { path: string; type: string; gzip: number | null };
/**
 * Milliseconds from navigation start, on a throttled network (SLOW below):
 * the page's script downloaded, its words downloaded (0 when they are in
 * the script), the first text on the page, the show on screen.
 */
type Timing = { script: number; words: number; firstRender: number; showShown: number };
type Tree = {
  label: string;
  commit: string;
  files: FileWeight[];
  totals: Record<Lang, number>;
  onDemand: Array<{ path: string; gzip: number }>;
  fetched: Record<Lang, Fetched[]> | null;
  timings: Record<Lang, Timing> | null;
};

const gz = (content: string | Buffer) => gzipSync(content, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

// ---------------------------------------------------------------- a copy of the tree, built

/** The working tree (tracked and untracked files, as they are now) or a commit, in a temporary folder. */
function materialize(ref: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), "shop-along-weight-"));
  if (ref) {
    const archive = spawnSync("git", ["archive", "--format=tar", ref], { cwd: root, maxBuffer: 1 << 30 });
    if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  } else {
    const list = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
    for (const file of list.stdout.split("\0").filter(Boolean)) {
      if (!existsSync(join(root, file))) continue; // deleted, not yet committed
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(root, file), join(dir, file));
    }
  }
  // This checkout's node_modules, if the tree asks for the same packages; else its own, from npm's cache.
  if (readFileSync(join(dir, "package-lock.json"), "utf8") === readFileSync(join(root, "package-lock.json"), "utf8")) {
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  } else {
    console.log("  its packages differ from this checkout's: npm ci…");
    const install = spawnSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8" });
    if (install.status !== 0) throw new Error(`npm ci in ${dir} failed:\n${install.stdout}\n${install.stderr}`);
  }
  return dir;
}

function vite(dir: string, config: string) {
  const env = { ...process.env, PATH: `${join(dir, "node_modules/.bin")}${delimiter}${process.env.PATH}`, NO_COLOR: "1" };
  const run = spawnSync(join(dir, "node_modules/.bin/vite"), ["build", "--config", config, "--sourcemap", "hidden", "--logLevel", "warn"], {
    cwd: dir,
    env,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`vite build in ${dir} failed:\n${run.stdout}\n${run.stderr}`);
}

/**
 * A second build whose stylesheets say where each CSS file's rules start: a
 * rule `.weight-mark-N{--weight-mark:N}` before each file, relative @imports
 * inlined so that imported files get theirs. Returns mark number → file.
 */
function buildMarked(dir: string): string[] {
  const files: string[] = [];
  writeFileSync(join(dir, "client/weight-marks.json"), "[]");
  const wrapper = join(dir, "client/weight.vite.config.ts");
  writeFileSync(
    wrapper,
    `import base from "./vite.config.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
// Vite loads this config once per page it builds: the list lives in the file, not in this module.
const list = ${JSON.stringify(join(dir, "client/weight-marks.json"))};
const mark = (file: string) => {
  const files = JSON.parse(readFileSync(list, "utf8")) as string[];
  writeFileSync(list, JSON.stringify([...files, file]));
  return \`.weight-mark-\${files.length}{--weight-mark:\${files.length}}\`;
};
const inline = (file: string, css: string): string =>
  mark(file) + css.replace(/@import\\s+["'](\\.[^"']+)["']\\s*;/g, (_, path) => {
    const target = resolve(dirname(file), path);
    return inline(target, readFileSync(target, "utf8")) + mark(file);
  });
const marks = { name: "weight-marks", enforce: "pre" as const, transform(code: string, id: string) { return id.endsWith(".css") ? { code: inline(id, code), map: null } : null; } };
export default async (env: any) => {
  const config = typeof base === "function" ? await (base as any)(env) : base;
  return { ...config, plugins: [marks, ...(config.plugins ?? [])] };
};
`,
  );
  vite(dir, wrapper);
  files.push(...(JSON.parse(readFileSync(join(dir, "client/weight-marks.json"), "utf8")) as string[]));
  return files;
}

// ---------------------------------------------------------------- attribution

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** One line of a sourcemap's `mappings`: segments of [generated column, source index delta, …] (VLQ). */
function decodeLine(line: string): number[][] {
  const segments: number[][] = [];
  for (const text of line.split(",")) {
    if (!text) continue;
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const char of text) {
      const digit = BASE64.indexOf(char);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = shift = 0;
      }
    }
    segments.push(fields);
  }
  return segments;
}

/** Where a source path from a sourcemap really is, as the table names it. */
function moduleName(source: string, mapDir: string, tree: string): string {
  if (source.includes("node_modules/")) return `node_modules/${source.slice(source.lastIndexOf("node_modules/") + "node_modules/".length)}`;
  if (source.startsWith("\0") || !source.includes("/")) return `(generated) ${source.replace("\0", "")}`;
  return relative(tree, resolve(mapDir, source));
}

/** Runs of a file's text, each with the module it came from, in file order. */
function runsOfScript(code: string, mapFile: string, tree: string): Array<[string, string]> {
  const map = JSON.parse(readFileSync(mapFile, "utf8")) as { sources: string[]; mappings: string };
  const names = map.sources.map((source) => moduleName(source, dirname(mapFile), tree));
  const lines = code.split("\n");
  const mappings = map.mappings.split(";");
  const runs: Array<[string, string]> = [];
  let source = 0;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]! + (l < lines.length - 1 ? "\n" : "");
    let column = 0;
    let from = 0;
    let owner = "(generated) unmapped";
    for (const segment of decodeLine(mappings[l] ?? "")) {
      column += segment[0]!;
      if (column > from) runs.push([owner, line.slice(from, column)]);
      from = column;
      if (segment.length >= 4) {
        source += segment[1]!;
        owner = names[source]!;
      } else owner = "(generated) unmapped";
      // Lines, columns and names are deltas too, but only the source matters here.
    }
    runs.push([owner, line.slice(from)]);
  }
  return runs;
}

/** Each module's share of a file: what its runs add to gzip where they sit (see the top of this file). */
function shares(runs: Array<[string, string]>): Share[] {
  const merged: Array<[string, string]> = [];
  for (const [owner, text] of runs) {
    if (!text) continue;
    const last = merged.at(-1);
    if (last && last[0] === owner) last[1] += text;
    else merged.push([owner, text]);
  }
  const byModule = new Map<string, Share>();
  let prefix = "";
  let before = gz("");
  for (const [owner, text] of merged) {
    prefix += text;
    const after = gz(prefix);
    const share = byModule.get(owner) ?? { module: owner, raw: 0, gzip: 0 };
    share.raw += Buffer.byteLength(text);
    share.gzip += after - before;
    byModule.set(owner, share);
    before = after;
  }
  return [...byModule.values()];
}

/** A stylesheet of the plain build, split by the marked build's marks. */
function runsOfStyle(plain: string, marked: string, markFiles: string[], tree: string): Array<[string, string]> {
  const runs: Array<[string, string]> = [];
  const pattern = /\.weight-mark-(\d+)\{--weight-mark:\d+\}/g;
  let owner = "(unmarked)";
  let at = 0;
  for (const match of marked.matchAll(pattern)) {
    runs.push([owner, marked.slice(at, match.index)]);
    owner = relative(tree, markFiles[Number(match[1])]!.split("?")[0]!);
    at = match.index! + match[0].length;
  }
  runs.push([owner, marked.slice(at)]);
  const joined = runs.map(([, text]) => text).join("");
  if (joined !== plain) {
    // The minifier treated the marks as rules and moved something: keep the plain file's bytes, in one share.
    console.warn(`  ! the marked stylesheet differs from the real one; its bytes are not split by file`);
    return [["(stylesheet, not split)", plain]];
  }
  return runs;
}

// ---------------------------------------------------------------- the page in Chromium

/** One fresh load on the SLOW network with an empty cache: when things arrived and showed. */
async function timeLoad(browser: Browser, url: string, lang: Lang): Promise<Timing> {
  const context = await phone(browser, lang === "en" ? "en-US" : "zh-CN");
  await context.addInitScript(() => {
    const marks = ((window as unknown as { marks: Record<string, number> }).marks = {} as Record<string, number>);
    new MutationObserver(() => {
      if (!marks.firstRender && document.getElementById("app")?.textContent?.trim()) marks.firstRender = performance.now();
      if (!marks.showShown && document.querySelector("[data-testid=stage][data-state]")) marks.showShown = performance.now();
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { marks: Record<string, number> }).marks.showShown, undefined, { timeout: 30_000 });
  const timing = await page.evaluate(() => {
    const { firstRender, showShown } = (window as unknown as { marks: Timing }).marks;
    const end = (pattern: RegExp) =>
      (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((entry) => pattern.test(entry.name))?.responseEnd ?? 0;
    return { script: end(/\/assets\/room-[\w-]+\.js$/), words: end(/\/assets\/catalogue-/), firstRender, showShown };
  });
  await context.close();
  return timing;
}

/** What the viewer page fetched, without a tap, in each language: a live show with a pinned product. */
async function fetchedWithoutTap(browser: Browser, url: string, origin: string, dist: string): Promise<Record<Lang, Fetched[]>> {
  const result = {} as Record<Lang, Fetched[]>;
  for (const lang of LANGS as Lang[]) {
    const context = await phone(browser, lang === "en" ? "en-US" : "zh-CN");
    const page = await context.newPage();
    const fetched: Fetched[] = [];
    const pending: Promise<void>[] = [];
    page.on("requestfinished", (request) => {
      const url = new URL(request.url());
      // The show's own data (API, socket) and its product images are content, not the page.
      if (url.origin !== origin || /^\/(api|parties|demo)\//.test(url.pathname)) return;
      pending.push(
        (async () => {
          let size: number | null = null;
          if (request.resourceType() === "document") size = gz(await (await request.response())!.body());
          else if (existsSync(join(dist, url.pathname))) size = gz(readFileSync(join(dist, url.pathname)));
          fetched.push({ path: request.resourceType() === "document" ? `/${PAGE}` : url.pathname, type: request.resourceType(), gzip: size });
        })(),
      );
    });
    await page.goto(url);
    await page.locator('[data-testid="connection-status"][data-state="online"]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(IDLE_MS);
    await Promise.all(pending);
    // Words written into the page came with it: its size already holds them.
    if (await page.locator(`script[type="application/json"][id="catalogue:${lang}"]`).count()) {
      fetched.push({ path: "(words, in the page)", type: "inline", gzip: 0 });
    }
    result[lang] = fetched;
    await context.close();
  }
  return result;
}

/**
 * Step 3 for every tree at once: each tree's whole stack runs side by side,
 * and the throttled loads take turns between trees, so that a busy moment of
 * the machine falls on both alike.
 */
async function browse(trees: Built[]): Promise<void> {
  const stacks: Array<{ stop(): Promise<void> }> = [];
  const browser = await launchBrowser();
  try {
    const urls: string[] = [];
    for (const tree of trees) {
      console.log(`\n${tree.label}: starting its stack, loading the page in Chromium…`);
      const { startStack } = (await import(join(tree.dir, "scripts/stack.ts"))) as typeof import("../scripts/stack.ts");
      const stack = await startStack({ video: false });
      stacks.push(stack);
      const show = await createShow(stack.origin);
      const hostKey = new URL(show.links.host).hash.slice("#key=".length);
      await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKey);
      await show.api(`/api/rooms/${show.room.id}/pin`, { productId: show.products[0].id }, hostKey);
      urls.push(show.links.viewer);
      tree.fetched = await fetchedWithoutTap(browser, show.links.viewer, stack.origin, tree.dist);
      for (const lang of LANGS as Lang[]) {
        const sum = tree.fetched[lang].reduce((total, file) => total + (file.gzip ?? 0), 0);
        console.log(`  fetched before a tap, ${lang}: ${kb(sum)} (${tree.fetched[lang].map((file) => file.path).join(", ")})`);
      }
    }
    console.log(`\nthrottled loads, ${TIMING_RUNS} per tree and language, taking turns…`);
    const runs = trees.map(() => ({ en: [] as Timing[], "zh-CN": [] as Timing[] }));
    for (let run = 0; run < TIMING_RUNS; run++) {
      for (const lang of LANGS as Lang[]) {
        for (const [i] of trees.entries()) runs[i]![lang].push(await timeLoad(browser, urls[i]!, lang));
      }
    }
    const median = (values: Timing[], key: keyof Timing) => values.map((value) => value[key]).sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    trees.forEach((tree, i) => {
      tree.timings = {} as Record<Lang, Timing>;
      for (const lang of LANGS as Lang[]) {
        const all = runs[i]![lang];
        const timing = { script: median(all, "script"), words: median(all, "words"), firstRender: median(all, "firstRender"), showShown: median(all, "showShown") };
        tree.timings[lang] = timing;
        console.log(
          `  ${tree.label}, ${lang}: script in at ${Math.round(timing.script)} ms, words at ${Math.round(timing.words)} ms, ` +
            `first render at ${Math.round(timing.firstRender)} ms, the show at ${Math.round(timing.showShown)} ms`,
        );
      }
    });
  } finally {
    await browser.close();
    for (const stack of stacks) await stack.stop();
  }
}

// ---------------------------------------------------------------- one tree

/** A tree built and weighed, its copy kept for the browser step. */
type Built = Tree & { dir: string; dist: string };

async function weigh(ref: string | undefined): Promise<Built> {
  const label = ref ? "before" : "after";
  console.log(`\n${label}`);
  const dir = materialize(ref);
  try {
    const head = spawnSync("git", ["rev-parse", "--short", ref ?? "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
    const changed = !ref && spawnSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).stdout.trim() !== "";
    const commit = changed ? `${head} + uncommitted changes` : head;
    console.log("  building with marked stylesheets…");
    const markFiles = buildMarked(dir);
    renameSync(join(dir, "dist"), join(dir, "dist-marked"));
    console.log("  building…");
    vite(dir, join(dir, "client/vite.config.ts"));
    const dist = join(dir, "dist/client");
    const page = measurePage(dist, PAGE);

    const files: FileWeight[] = [];
    const seen = new Set<string>();
    for (const lang of LANGS as Lang[]) {
      for (const file of page.languages[lang].files as Array<{ path: string; kind: string; lang?: Lang; raw: number; gzip: number }>) {
        if (seen.has(file.path)) continue;
        seen.add(file.path);
        const onDisk = join(dist, file.path);
        let fileShares: Share[];
        if (file.kind === "script" && existsSync(`${onDisk}.map`)) {
          fileShares = shares(runsOfScript(readFileSync(onDisk, "utf8"), `${onDisk}.map`, dir));
        } else if (file.kind === "style") {
          // The marked build names its stylesheet like the plain one, with another hash.
          const stem = file.path.replace(/^\/assets\//, "").replace(/-[\w-]{8}\.css$/, "");
          const markedDir = join(dir, "dist-marked/client/assets");
          const twin = readdirSync(markedDir).find((name) => name.endsWith(".css") && name.replace(/-[\w-]{8}\.css$/, "") === stem);
          const plain = readFileSync(onDisk, "utf8");
          fileShares = shares(twin ? runsOfStyle(plain, readFileSync(join(markedDir, twin), "utf8"), markFiles, dir) : [["(stylesheet)", plain]]);
        } else {
          const name = file.kind === "catalogue" ? `catalogue, ${file.lang}` : file.path.slice(1);
          fileShares = [{ module: name, raw: file.raw, gzip: file.gzip }];
        }
        files.push({ ...file, shares: fileShares });
      }
    }
    const totals = Object.fromEntries((LANGS as Lang[]).map((lang) => [lang, page.languages[lang].total])) as Record<Lang, number>;
    const onDemand = (page.onDemand as Array<{ path: string; gzip: number }>).map(({ path, gzip }) => ({ path, gzip }));
    for (const lang of LANGS as Lang[]) console.log(`  counted by the budget rules, ${lang}: ${kb(totals[lang])}`);
    return { label, commit, files, totals, onDemand, fetched: null, timings: null, dir, dist };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

// ---------------------------------------------------------------- the report

/** "/assets/room-Nqttu4Q9.js" → "room-….js": names that stay the same from build to build. */
const stable = (path: string) => path.replace(/-[\w-]{8}(\.\w+)$/, "-…$1");
const counted = (tree: Tree, lang: Lang) => (path: string) =>
  tree.files.some((file) => file.path === path && (!file.lang || file.lang === lang));

function report(trees: Tree[]): string {
  const out: string[] = [];
  const date = new Date().toISOString().slice(0, 10);
  out.push("## Viewer page weight (`npm run bench:weight`)", "");
  out.push(
    `Measured ${date}. Everything the viewer page (\`room.html\`) downloads before the visitor's first tap, each file gzipped on its own at`,
    "level 9 (as `npm run test:budget` counts: the page, what its tags fetch, the chunks they import statically, the",
    "visitor's catalogue). *Chromium* is what the page really fetched: a live show with a pinned product, a phone (390×844),",
    `${IDLE_MS / 1000} s without a tap, product images and API/socket traffic left out. *Throttled*: the same page, empty cache, on Chromium's`,
    `emulation of a middling mobile network (${SLOW.latency} ms round trips, 1.6 Mbit/s down), median of ${TIMING_RUNS} loads, from navigation start:`,
    "the script and the words downloaded (*no request*: they came in the script or in the page), the first render (any text),",
    "the show on screen (the room's state arrived over the socket).",
    "The trees' stacks run side by side and their loads take turns, but the render times include running the script on a",
    "2-core machine shared with other work: read differences under about 150 ms as noise.",
    "A module's share is what it adds to its file's gzip where it sits (gzip up to its end − gzip up to its start),",
    "so the shares of a file add up to the file.",
    "",
  );
  const columns = trees.map((tree) => `${tree.label} (${tree.commit})`);

  out.push("| | " + columns.map((c) => `${c}: en | ${c}: zh-CN`).join(" | ") + " |");
  out.push("| --- |" + trees.map(() => " ---: | ---: |").join(""));
  out.push("| counted by the budget check | " + trees.map((tree) => `${kb(tree.totals.en)} | ${kb(tree.totals["zh-CN"])}`).join(" | ") + " |");
  if (trees.every((tree) => tree.fetched)) {
    const fetchedSum = (tree: Tree, lang: Lang) => tree.fetched![lang].reduce((sum, file) => sum + (file.gzip ?? 0), 0);
    out.push("| fetched in Chromium before a tap | " + trees.map((tree) => `${kb(fetchedSum(tree, "en"))} | ${kb(fetchedSum(tree, "zh-CN"))}`).join(" | ") + " |");
    const missed = (tree: Tree, lang: Lang) =>
      tree.fetched![lang]
        .filter((file) => file.type !== "inline" && !counted(tree, lang)(file.path))
        .map((file) => stable(file.path))
        .sort();
    out.push(
      "| fetched but not counted | " +
        trees.map((tree) => (LANGS as Lang[]).map((lang) => missed(tree, lang).join(", ") || "none").join(" | ")).join(" | ") +
        " |",
    );
    const ms = (tree: Tree, lang: Lang, key: keyof Timing) => (tree.timings![lang][key] ? `${Math.round(tree.timings![lang][key])} ms` : "no request");
    const row = (label: string, key: keyof Timing) =>
      out.push(`| throttled: ${label} | ` + trees.map((tree) => `${ms(tree, "en", key)} | ${ms(tree, "zh-CN", key)}`).join(" | ") + " |");
    row("script downloaded", "script");
    row("words downloaded", "words");
    row("first render", "firstRender");
    row("the show on screen", "showShown");
  }
  out.push("");

  out.push("### By file", "");
  out.push("| file | " + columns.join(" | ") + " |");
  out.push("| --- |" + trees.map(() => " ---: |").join(""));
  const filePaths = [...new Set(trees.flatMap((tree) => tree.files.map((file) => stable(file.path))))];
  for (const path of filePaths) {
    const cells = trees.map((tree) => {
      const file = tree.files.find((f) => stable(f.path) === path);
      return file ? `${kb(file.gzip)}${file.lang ? ` (${file.lang} only)` : ""}` : "–";
    });
    out.push(`| \`${path}\` | ${cells.join(" | ")} |`);
  }
  const lazyPaths = [...new Set(trees.flatMap((tree) => tree.onDemand.map((file) => stable(file.path))))];
  for (const path of lazyPaths) {
    const cells = trees.map((tree) => {
      const file = tree.onDemand.find((f) => stable(f.path) === path);
      const prefetched = tree.fetched && (LANGS as Lang[]).some((lang) => tree.fetched![lang].some((f) => stable(f.path) === path));
      return file ? `${kb(file.gzip)} ${prefetched ? "**fetched without a tap**" : "on a tap / guests"}` : "–";
    });
    out.push(`| \`${path}\` (not counted) | ${cells.join(" | ")} |`);
  }
  out.push("");

  out.push("### By source module (what the budget counts)", "");
  const delta = trees.length === 2;
  out.push("| module | " + columns.join(" | ") + (delta ? " | change |" : " |"));
  out.push("| --- |" + trees.map(() => " ---: |").join("") + (delta ? " ---: |" : ""));
  const byModule = (tree: Tree) => {
    const table = new Map<string, number>();
    for (const file of tree.files) for (const share of file.shares) table.set(share.module, (table.get(share.module) ?? 0) + share.gzip);
    return table;
  };
  const tables = trees.map(byModule);
  const modules = [...new Set(tables.flatMap((table) => [...table.keys()]))].sort((a, b) => (tables.at(-1)!.get(b) ?? 0) - (tables.at(-1)!.get(a) ?? 0) || (tables[0]!.get(b) ?? 0) - (tables[0]!.get(a) ?? 0));
  for (const module of modules) {
    const cells = tables.map((table) => (table.has(module) ? kb(table.get(module)!) : "–"));
    const change = (tables[1]?.get(module) ?? 0) - (tables[0]!.get(module) ?? 0);
    if (delta) cells.push(Math.abs(change) < 5 ? "" : `${change > 0 ? "+" : "−"}${kb(Math.abs(change))}`);
    out.push(`| \`${module}\` | ${cells.join(" | ")} |`);
  }
  out.push("");
  return out.join("\n");
}

const trees: Built[] = [];
try {
  if (against) trees.push(await weigh(against));
  trees.push(await weigh(undefined));
  if (browserCheck) await browse(trees);
} finally {
  for (const tree of trees) rmSync(tree.dir, { recursive: true, force: true });
}
const body = report(trees);
console.log(`\n${body}`);
writeSection("viewer-weight", body);
