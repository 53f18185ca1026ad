/** The language a visitor reads the site in, as the pages and the emails to them pick it. */
export type Lang = "en" | "zh-CN";

/**
 * The language the viewer page will pick (client/src/i18n.ts): the saved
 * choice (mirrored in the `lang` cookie), else the first of the browser's
 * languages we have (Accept-Language comes from the same setting as
 * navigator.languages), else English.
 */
export function visitorLang(request: Request): Lang {
  const saved = /(?:^|;\s*)lang=([^;]*)/.exec(request.headers.get("Cookie") ?? "")?.[1];
  if (saved === "en" || saved === "zh-CN") return saved;
  const tags = (request.headers.get("Accept-Language") ?? "")
    .split(",")
    .map((part, order) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = Number(params.find((param) => param.trim().startsWith("q="))?.trim().slice(2) ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of tags) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}
