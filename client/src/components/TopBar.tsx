import type { ComponentChildren } from "preact";
import { LangSwitch } from "./LangSwitch.tsx";

/**
 * The bar on top of the shop's pages: the logo (home), a subtitle after it
 * if the page has one, and on the right what the page puts there (the
 * language switch by default).
 */
export function TopBar({ sub, children }: { sub?: string; children?: ComponentChildren }) {
  return (
    <header class="topbar">
      <a class="logo" href="/">
        <span class="logo-mark" aria-hidden="true" />
        shop-along
        {sub && <span class="logo-sub">{sub}</span>}
      </a>
      {children ?? <LangSwitch class="chip chip-light" />}
    </header>
  );
}
