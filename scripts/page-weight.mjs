/**
 * What a built page downloads before the visitor taps anything, read from
 * the build itself. One set of rules, used by the budget check
 * (check-budget.mjs), the weight benchmark (bench/weight.ts) and the browser
 * test that holds the rules to what Chromium really fetches
 * (e2e/page-weight.test.ts).
 *
 * Counted, for every visitor:
 * - the HTML page itself;
 * - what its tags fetch: `<script src>`, and `<link>` with rel stylesheet,
 *   modulepreload, preload, prefetch or icon (browsers fetch the icon on load);
 * - recursively, every chunk those scripts import statically.
 * Counted for the visitors of one language only:
 * - the language's catalogue, named by `<meta name="catalogue:LANG">` (see
 *   client/catalogues.ts). The Worker writes the visitor's into the page
 *   (worker/pages.ts); served alone, the page fetches the file. Either way
 *   its bytes are counted as the file, gzipped on its own (inside the
 *   page's gzip they cost a little less).
 * Not counted: dynamic `import()`s. They load on a tap (the checkout, the
 * product list), or for guests only; they are listed with their sizes so they
 * stay visible. A page that started one of them by itself (at idle, on a
 * timer, when a product is pinned) would download it before any tap: the
 * browser test fails then, because Chromium fetched a file not counted here.
 *
 * Sizes: each file gzipped on its own at level 9, the way a server sends it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { gzipSync } from "node:zlib";

export const LANGS = ["en", "zh-CN"];

/** The tags of a page that fetch something at load, as site paths, plus the catalogues it names. */
export function pageTags(html) {
  const fetched = [];
  const catalogues = {};
  for (const [tag] of html.matchAll(/<(?:script|link|meta)\b[^>]*>/gi)) {
    const attribute = (name) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, "i").exec(tag)?.[1];
    if (/^<script/i.test(tag)) {
      const src = attribute("src");
      if (src) fetched.push(src);
    } else if (/^<link/i.test(tag)) {
      const rels = (attribute("rel") ?? "").toLowerCase().split(/\s+/);
      const href = attribute("href");
      if (href && rels.some((rel) => ["stylesheet", "modulepreload", "preload", "prefetch", "icon"].includes(rel))) fetched.push(href);
    } else {
      const lang = /^catalogue:(.+)$/.exec(attribute("name") ?? "")?.[1];
      const content = attribute("content");
      if (lang && content) catalogues[lang] = content;
    }
  }
  return { fetched, catalogues };
}

/** Relative specifiers a built chunk imports statically: `import x from "./a.js"`, `import "./b.js"`, `export … from`. */
export function staticImports(code) {
  const specifiers = [];
  const pattern = /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (const [, specifier] of code.matchAll(pattern)) {
    if (specifier.startsWith(".") || specifier.startsWith("/")) specifiers.push(specifier);
  }
  return specifiers;
}

/**
 * Files a built chunk loads on demand: `import("./x.js")` targets, and the
 * dependency list Vite's preload helper keeps for them (`m.f=["assets/x.css", …]`).
 */
export function dynamicImports(code) {
  const specifiers = [];
  for (const [, specifier] of code.matchAll(/\bimport\(\s*[`"']([^`"'$]+)[`"']\s*\)/g)) specifiers.push(specifier);
  for (const [, list] of code.matchAll(/\.f=\[([^\]]*)\]/g)) {
    for (const [, path] of list.matchAll(/["'`]([^"'`]+)["'`]/g)) specifiers.push(`/${path}`);
  }
  return specifiers;
}

/** Site path → file on disk; only our own files (no http URLs, no data: URIs). */
function fileOf(dist, sitePath) {
  if (/^[a-z]+:/i.test(sitePath) || sitePath.startsWith("//")) return null;
  return join(dist, sitePath.split(/[?#]/)[0]);
}

export function sizeOf(content) {
  return { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

/**
 * Everything a page downloads before the first tap, per language, with raw
 * and gzipped sizes; `worst` is the language whose visitors download most.
 * `dist` is the build's output folder, `page` an HTML file in it ("room.html").
 */
export function measurePage(dist, page) {
  const htmlFile = join(dist, page);
  if (!existsSync(htmlFile)) throw new Error(`${htmlFile} is missing. Run \`npm run build\` first.`);
  const html = readFileSync(htmlFile);
  const tags = pageTags(html.toString("utf8"));
  const read = (sitePath, why) => {
    const file = fileOf(dist, sitePath);
    if (!file) return null;
    if (!existsSync(file)) throw new Error(`${page} ${why} ${sitePath}, which is not in ${dist}.`);
    return readFileSync(file);
  };

  const queue = tags.fetched.map((path) => posix.resolve("/", path));
  const seen = new Set();
  const files = [{ path: `/${page}`, kind: "page", ...sizeOf(html) }];
  const lazy = new Set();
  while (queue.length > 0) {
    const sitePath = queue.shift();
    if (seen.has(sitePath)) continue;
    seen.add(sitePath);
    const content = read(sitePath, "references");
    if (!content) continue;
    files.push({ path: sitePath, kind: kindOf(sitePath), ...sizeOf(content) });
    if (!sitePath.endsWith(".js")) continue;
    const code = content.toString("utf8");
    for (const specifier of staticImports(code)) queue.push(posix.resolve(posix.dirname(sitePath), specifier));
    for (const specifier of dynamicImports(code)) {
      lazy.add(specifier.startsWith("/") ? posix.resolve("/", specifier) : posix.resolve(posix.dirname(sitePath), specifier));
    }
  }
  const onDemand = [...lazy]
    .filter((path) => !seen.has(path))
    .map((path) => ({ path, kind: kindOf(path), ...sizeOf(read(path, "loads on demand")) }));

  const total = (list) => list.reduce((sum, file) => sum + file.gzip, 0);
  const languages = {};
  for (const lang of LANGS) {
    const list = [...files];
    const catalogue = tags.catalogues[lang];
    if (catalogue) {
      const sitePath = posix.resolve("/", catalogue);
      list.push({ path: sitePath, kind: "catalogue", lang, ...sizeOf(read(sitePath, `names the ${lang} catalogue`)) });
    }
    languages[lang] = { files: list, total: total(list) };
  }
  const worst = LANGS.reduce((a, b) => (languages[b].total > languages[a].total ? b : a));
  return { page, files, onDemand, languages, worst, total: languages[worst].total };
}

function kindOf(sitePath) {
  if (sitePath.endsWith(".js")) return "script";
  if (sitePath.endsWith(".css")) return "style";
  if (sitePath.endsWith(".json")) return "catalogue";
  return "other";
}

/**
 * What <shop-along-show> downloads before it plays, per language: /embed.js
 * (and what it imports statically), the player's chunk it imports once the
 * element nears the viewport (the dynamic import named player-…), that
 * chunk's static imports, and the language's catalogue
 * (embed/catalogue-<lang>.json). What the player loads later (its overlay,
 * the checkout, the replay) and the library are listed, not counted.
 */
export function measureEmbed(dist) {
  const entry = join(dist, "embed.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing. Run \`npm run build\` first.`);
  const read = (sitePath) => readFileSync(join(dist, sitePath));
  const files = [];
  const seen = new Set();
  const lazy = new Set();
  const queue = ["/embed.js"];
  let player = null;
  while (queue.length > 0) {
    const sitePath = queue.shift();
    if (seen.has(sitePath)) continue;
    seen.add(sitePath);
    const content = read(sitePath);
    files.push({ path: sitePath, kind: "script", ...sizeOf(content) });
    const code = content.toString("utf8");
    for (const specifier of staticImports(code)) queue.push(posix.resolve(posix.dirname(sitePath), specifier));
    for (const specifier of dynamicImports(code)) {
      const target = posix.resolve(posix.dirname(sitePath), specifier);
      if (sitePath === "/embed.js" && /\/player-[^/]+\.js$/.test(target)) (player = target), queue.push(target);
      else lazy.add(target);
    }
  }
  if (!player) throw new Error("embed.js imports no player chunk (embed/player-….js): see the embed's build in client/vite.config.ts.");
  const onDemand = [...lazy].filter((path) => !seen.has(path)).map((path) => ({ path, kind: kindOf(path), ...sizeOf(read(path)) }));
  const total = (list) => list.reduce((sum, file) => sum + file.gzip, 0);
  const languages = {};
  for (const lang of LANGS) {
    const list = [...files, { path: `/embed/catalogue-${lang}.json`, kind: "catalogue", lang, ...sizeOf(read(`/embed/catalogue-${lang}.json`)) }];
    languages[lang] = { files: list, total: total(list) };
  }
  const worst = LANGS.reduce((a, b) => (languages[b].total > languages[a].total ? b : a));
  return { page: "<shop-along-show> (/embed.js)", files, onDemand, languages, worst, total: languages[worst].total };
}
