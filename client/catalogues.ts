/**
 * The viewer page's words, one file per language, cut out of its script at
 * build time.
 *
 * In the source, every section of the catalogue keeps its English and its
 * Chinese table side by side (`section(en, zhCN)` in src/i18n.ts), so that
 * anyone adding a string adds both in one place. Shipped that way, every
 * viewer downloads both languages. For the page this plugin is given, each
 * `section(en, zhCN)` call in the named files becomes `section("~catalogue:N")`,
 * and the tables of the sections the page really uses (those left in its
 * entry chunk after tree-shaking) go to one JSON file per language,
 * `assets/catalogue-<lang>-<hash>.json`, named in the page's HTML by
 * `<meta name="catalogue:<lang>" content="…">`. The Worker writes the
 * visitor's into the page it serves (worker/pages.ts), so the page renders
 * in their language as soon as its script has run, and neither language
 * downloads the other's words; `loadCatalogue` (src/i18n.ts) reads them
 * there, or fetches the file (a page served without the Worker, a switch of
 * language).
 *
 * Only the files named are split: their sections are in the entry chunk.
 * Sections of parts the page loads on a tap (the checkout's words in
 * i18n-orders.ts) stay in those chunks, both languages, so that a tap never
 * waits for two files.
 */
import type { Plugin } from "vite";

const LANGS = ["en", "zh-CN"] as const;
const MARK = "~catalogue:";

type Table = Record<string, string>;
type Node = { type: string; start: number; end: number; [key: string]: any };

/**
 * `fileName`: for a build without an HTML page (the embed), the catalogues'
 * fixed paths, `[lang]` standing for the language; its script finds them
 * next to itself (src/i18n.ts). Its sections may then sit in any chunk: the
 * embed has no words before its player's chunks arrive anyway.
 */
export function splitCatalogues({ environment, files, fileName }: { environment: string; files: string[]; fileName?: string }): Plugin {
  /** Each section's tables, by its mark. */
  const sections = new Map<string, Record<(typeof LANGS)[number], Table>>();
  /** The catalogue files of the last build, by language. */
  let emitted: Partial<Record<(typeof LANGS)[number], string>> = {};

  return {
    name: "shop-along:split-catalogues",
    // Before TypeScript is stripped: positions are the source file's, and so are the sourcemaps'.
    enforce: "pre",
    // A dev server has no bundle to take the words from: there the tables stay where they are.
    apply: "build",
    applyToEnvironment: (env) => env.name === environment,

    transform(code, id) {
      const file = id.split("?")[0]!;
      const index = files.indexOf(file);
      if (index < 0) return null;
      const calls: Node[] = [];
      walk(this.parse(code, { lang: "ts" }) as unknown as Node, (node) => {
        if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "section") calls.push(node);
      });
      let out = "";
      let at = 0;
      calls.forEach((call, n) => {
        const [en, zhCN] = call.arguments as Node[];
        if (call.arguments.length !== 2 || en!.type !== "ObjectExpression" || zhCN!.type !== "ObjectExpression") {
          this.error(`${file}: section() takes two object literals, the English table and the Chinese one.`, call.start);
        }
        const mark = `${MARK}${index}.${n}`;
        sections.set(mark, { en: table(en!, code, file), "zh-CN": table(zhCN!, code, file) });
        const removed = code.slice(en!.start, zhCN!.end);
        // As many line breaks as the tables took: the lines after keep their numbers in the sourcemap.
        out += code.slice(at, en!.start) + JSON.stringify(mark) + "\n".repeat(removed.split("\n").length - 1);
        at = zhCN!.end;
      });
      return { code: out + code.slice(at), map: null };
    },

    generateBundle: {
      // Before Vite writes the HTML (its post hooks run in its own generateBundle).
      order: "pre",
      handler(_options, bundle) {
        emitted = {};
        // The chunks a page loads at start: its entry and what that imports statically.
        const atStart = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          if (chunk?.type !== "chunk" || atStart.has(fileName)) return;
          atStart.add(fileName);
          chunk.imports.forEach(visit);
        };
        for (const chunk of Object.values(bundle)) if (chunk.type === "chunk" && chunk.isEntry) visit(chunk.fileName);
        const marks = new Set<string>();
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== "chunk") continue;
          for (const [, mark] of chunk.code.matchAll(/["'`](~catalogue:[\d.]+)["'`]/g)) {
            if (!fileName && !atStart.has(chunk.fileName)) this.error(`${chunk.fileName}, loaded on demand, holds the split section ${mark}: split only files the page loads at start.`);
            marks.add(mark!);
          }
        }
        for (const lang of LANGS) {
          const catalogue = Object.fromEntries([...marks].sort().map((mark) => [mark, sections.get(mark)![lang]]));
          const source = JSON.stringify(catalogue);
          const ref = fileName
            ? this.emitFile({ type: "asset", fileName: fileName.replace("[lang]", lang), source })
            : this.emitFile({ type: "asset", name: `catalogue-${lang}.json`, source });
          emitted[lang] = this.getFileName(ref);
        }
      },
    },

    transformIndexHtml: {
      order: "post",
      handler() {
        return LANGS.flatMap((lang) =>
          emitted[lang] ? [{ tag: "meta", attrs: { name: `catalogue:${lang}`, content: `/${emitted[lang]}` }, injectTo: "head" as const }] : [],
        );
      },
    },
  };
}

/** An object literal of strings, read as data: anything else in a table is refused. */
function table(node: Node, code: string, file: string): Table {
  const entries: Table = {};
  for (const property of node.properties as Node[]) {
    const key = property.key as Node;
    const value = property.value as Node;
    const name = key.type === "Identifier" ? key.name : key.type === "Literal" ? String(key.value) : null;
    const text =
      value.type === "Literal" && typeof value.value === "string"
        ? value.value
        : value.type === "TemplateLiteral" && value.expressions.length === 0
          ? value.quasis[0].value.cooked
          : null;
    if (property.type !== "Property" || property.computed || name === null || text === null) {
      throw new Error(`${file}: a catalogue table holds only "key": "text" pairs (at ${code.slice(property.start, property.start + 40)}…).`);
    }
    entries[name] = text;
  }
  return entries;
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === "string") walk(item, visit);
    } else if (value && typeof value === "object" && typeof value.type === "string") {
      walk(value, visit);
    }
  }
}
