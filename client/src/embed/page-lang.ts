import { lang, loadCatalogue, waitForWords, type Lang } from "../i18n.ts";

/**
 * The embed speaks the brand page's language: the `lang` of the element or
 * its nearest ancestor (the page's <html>), Chinese for any zh tag, English
 * otherwise; with no `lang` anywhere, the visitor's own (i18n.ts). One
 * language per page: every embed on it follows the last one read. Resolves
 * once that language's words are here (a file next to the embed's chunks);
 * a page that switches its `lang` later switches the player once the new
 * words have come.
 */
export async function followPageLang(element: Element): Promise<void> {
  const wanted = (): Lang => {
    const tag = (element.closest("[lang]")?.getAttribute("lang") ?? "").toLowerCase();
    return tag ? (tag.startsWith("zh") ? "zh-CN" : "en") : lang.peek();
  };
  new MutationObserver(() => {
    const next = wanted();
    loadCatalogue(next).then(
      () => (lang.value = next),
      () => {}, // Offline for a moment: the player keeps its words.
    );
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"], subtree: true });
  const first = wanted();
  await waitForWords(first);
  lang.value = first;
}
