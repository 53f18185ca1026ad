/** Writes one benchmark's section of bench/RESULTS.md, replacing its previous figures and keeping the others. */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const FILE = resolve(import.meta.dirname, "RESULTS.md");
const HEADER = "# Benchmark results\n\nEach section is written by its benchmark (`npm run bench:*`); rerun one to refresh its figures.\n";

export function writeSection(name: string, body: string): void {
  let doc: string;
  try {
    doc = readFileSync(FILE, "utf8");
  } catch {
    doc = HEADER;
  }
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*${end}`);
  doc = pattern.test(doc) ? doc.replace(pattern, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, doc);
  console.log(`written to ${FILE} (${name})`);
}
