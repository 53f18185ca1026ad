#!/usr/bin/env node
/**
 * The viewer page's size budget: everything room.html downloads before the
 * visitor's first tap, gzipped, must stay within 30 KB for the visitors of
 * either language; the target is 22 KB (reported, not enforced).
 *
 * Run after `npm run build`. What counts is decided by page-weight.mjs: the
 * page, what its tags fetch (scripts, stylesheets, preloads, the icon), the
 * chunks those import statically, and the visitor's language catalogue.
 * Chunks loaded on a tap are listed, not counted. The landing page, the
 * studio and the order page are reported too, without a limit.
 *
 * The embed (<shop-along-show>, /embed.js on a brand's page) has its own
 * budget: 25 KB gzipped for everything it fetches before it plays (the
 * loader, the player's chunk, the visitor's words; measureEmbed in
 * page-weight.mjs). The rest of it loads on demand, listed, not counted.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LANGS, measureEmbed, measurePage } from "./page-weight.mjs";

const BUDGET_BYTES = 30 * 1024;
const TARGET_BYTES = 22 * 1024;
const EMBED_BUDGET_BYTES = 25 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist/client");

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

function report({ page, files, onDemand, languages }) {
  console.log(`\n${page}`);
  const catalogues = LANGS.flatMap((lang) => languages[lang].files.filter((file) => file.kind === "catalogue"));
  const width = Math.max(...[...files, ...catalogues, ...onDemand].map((file) => file.path.length), 16);
  const line = (file, label = file.path) => `  ${label.padEnd(width)}  ${kb(file.raw).padStart(10)} raw  ${kb(file.gzip).padStart(9)} gz`;
  for (const file of files) console.log(line(file));
  for (const file of catalogues) console.log(line(file, `${file.path}`) + `  (${file.lang} only)`);
  const totals = catalogues.length > 0 ? LANGS.map((lang) => [`total, ${lang}`, languages[lang].total]) : [["total", languages[LANGS[0]].total]];
  for (const [label, total] of totals) console.log(`  ${label.padEnd(width)}  ${"".padStart(14)}  ${kb(total).padStart(9)} gz`);
  if (onDemand.length > 0) {
    console.log("  loaded on demand, on a tap or for guests only (not counted):");
    for (const file of onDemand) console.log(line(file));
  }
}

try {
  const viewer = measurePage(dist, "room.html");
  report(viewer);
  for (const page of ["index.html", "studio.html", "order.html"]) report(measurePage(dist, page));
  const embed = measureEmbed(dist);
  report(embed);

  console.log("");
  const worst = `${kb(viewer.total)} gzipped for ${viewer.worst} visitors`;
  if (viewer.total > BUDGET_BYTES) {
    console.error(
      `✗ room.html needs ${worst}, over its ${kb(BUDGET_BYTES)} budget by ${kb(viewer.total - BUDGET_BYTES)}.\n` +
        "  Likely causes: a new dependency imported by the viewer page, a shared chunk that pulled in\n" +
        "  landing- or studio-only code (uqr belongs to the landing page only), words of a lazy part\n" +
        "  (checkout, camera) used at start, or a large asset inlined.",
    );
    process.exit(1);
  }
  console.log(`✓ room.html: ${worst}, within its ${kb(BUDGET_BYTES)} budget (${kb(BUDGET_BYTES - viewer.total)} to spare).`);
  if (viewer.total > TARGET_BYTES) console.log(`  Over the ${kb(TARGET_BYTES)} target by ${kb(viewer.total - TARGET_BYTES)}.`);
  else console.log(`  Within the ${kb(TARGET_BYTES)} target (${kb(TARGET_BYTES - viewer.total)} to spare).`);
  const embedWorst = `${kb(embed.total)} gzipped before it plays, for ${embed.worst} visitors`;
  if (embed.total > EMBED_BUDGET_BYTES) {
    console.error(
      `✗ The embed needs ${embedWorst}, over its ${kb(EMBED_BUDGET_BYTES)} budget by ${kb(embed.total - EMBED_BUDGET_BYTES)}.\n` +
        "  Likely causes: a module the player imports statically that it shows only later (put it in the overlay,\n" +
        "  client/src/embed/EmbedOverlay.tsx, or in overlayOnly in client/vite.config.ts), a new dependency of the stage\n" +
        "  or the room model, or a stylesheet imported by the player instead of its overlay.",
    );
    process.exit(1);
  }
  console.log(`✓ The embed: ${embedWorst}, within its ${kb(EMBED_BUDGET_BYTES)} budget (${kb(EMBED_BUDGET_BYTES - embed.total)} to spare).`);
} catch (error) {
  console.error(`✗ ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
