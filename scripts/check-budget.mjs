#!/usr/bin/env node
/**
 * The viewer page's size budget: everything room.html needs before it can
 * show the show, gzipped, must stay within 30 KB.
 *
 * Run after `npm run build`. Counts every script and stylesheet room.html
 * references (script src, link rel=stylesheet, link rel=modulepreload) and,
 * recursively, every chunk those scripts import statically. Dynamic import()s
 * are not counted: they load later, on demand (the viewer's checkout sheet);
 * they are listed under the page, with their sizes, so they stay visible.
 * Each file is gzipped on its own at level 9, the way a server sends it. The
 * landing page, the studio and the order page are reported too, without a limit.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 30 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist/client");

/** Site paths ("/assets/x.js") of the scripts and stylesheets an HTML page loads. */
function assetsOfPage(html) {
  const found = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attribute = (name) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, "i").exec(tag)?.[1];
    if (/^<script/i.test(tag)) {
      const src = attribute("src");
      if (src) found.push(src);
    } else if (/^(stylesheet|modulepreload)$/i.test(attribute("rel") ?? "")) {
      const href = attribute("href");
      if (href) found.push(href);
    }
  }
  return found;
}

/** Relative specifiers a built chunk imports statically: `import x from "./a.js"`, `import "./b.js"`, `export … from`. */
function staticImports(code) {
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
function dynamicImports(code) {
  const specifiers = [];
  for (const [, specifier] of code.matchAll(/\bimport\(\s*[`"']([^`"'$]+)[`"']\s*\)/g)) specifiers.push(specifier);
  for (const [, list] of code.matchAll(/\.f=\[([^\]]*)\]/g)) {
    for (const [, path] of list.matchAll(/["'`]([^"'`]+)["'`]/g)) specifiers.push(`/${path}`);
  }
  return specifiers;
}

/** Site path → file on disk; only our own files (no http URLs, no data: URIs). */
function fileOf(sitePath) {
  if (/^[a-z]+:/i.test(sitePath) || sitePath.startsWith("//")) return null;
  return join(dist, sitePath.split(/[?#]/)[0]);
}

/** Every file the page needs up front, each with its raw and gzipped size. */
function measurePage(page) {
  const htmlFile = join(dist, page);
  if (!existsSync(htmlFile)) {
    throw new Error(`${relative(root, htmlFile)} is missing. Run \`npm run build\` first.`);
  }
  const queue = assetsOfPage(readFileSync(htmlFile, "utf8")).map((path) => posix.resolve("/", path));
  const seen = new Set();
  const files = [];
  const lazy = new Set();
  while (queue.length > 0) {
    const sitePath = queue.shift();
    if (seen.has(sitePath)) continue;
    seen.add(sitePath);
    const file = fileOf(sitePath);
    if (!file) continue;
    if (!existsSync(file)) throw new Error(`${page} references ${sitePath}, which is not in dist/client.`);
    const content = readFileSync(file);
    files.push({ path: sitePath, raw: content.length, gzip: gzipSync(content, { level: 9 }).length });
    if (sitePath.endsWith(".js")) {
      const code = content.toString("utf8");
      for (const specifier of staticImports(code)) {
        queue.push(posix.resolve(posix.dirname(sitePath), specifier));
      }
      for (const specifier of dynamicImports(code)) {
        lazy.add(specifier.startsWith("/") ? posix.resolve("/", specifier) : posix.resolve(posix.dirname(sitePath), specifier));
      }
    }
  }
  const onDemand = [...lazy]
    .filter((path) => !seen.has(path))
    .map((path) => {
      const file = fileOf(path);
      if (!file || !existsSync(file)) throw new Error(`${page} loads ${path} on demand, which is not in dist/client.`);
      const content = readFileSync(file);
      return { path, raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
    });
  return { page, files, onDemand, total: files.reduce((sum, file) => sum + file.gzip, 0) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

function report({ page, files, onDemand, total }) {
  console.log(`\n${page}`);
  const width = Math.max(...[...files, ...onDemand].map((file) => file.path.length), 10);
  const line = (file) => `  ${file.path.padEnd(width)}  ${kb(file.raw).padStart(10)} raw  ${kb(file.gzip).padStart(9)} gz`;
  for (const file of files) console.log(line(file));
  console.log(`  ${"total".padEnd(width)}  ${"".padStart(14)}  ${kb(total).padStart(9)} gz`);
  if (onDemand.length > 0) {
    console.log("  loaded on demand (not counted):");
    for (const file of onDemand) console.log(line(file));
  }
}

try {
  const viewer = measurePage("room.html");
  report(viewer);
  for (const page of ["index.html", "studio.html", "order.html"]) report(measurePage(page));

  console.log("");
  if (viewer.total > BUDGET_BYTES) {
    console.error(
      `✗ room.html needs ${kb(viewer.total)} gzipped, over its ${kb(BUDGET_BYTES)} budget by ${kb(viewer.total - BUDGET_BYTES)}.\n` +
        "  Likely causes: a new dependency imported by the viewer page, a shared chunk that pulled in\n" +
        "  landing- or studio-only code (uqr belongs to the landing page only), or a large asset inlined.",
    );
    process.exit(1);
  }
  console.log(`✓ room.html: ${kb(viewer.total)} gzipped, within its ${kb(BUDGET_BYTES)} budget (${kb(BUDGET_BYTES - viewer.total)} to spare).`);
} catch (error) {
  console.error(`✗ ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
