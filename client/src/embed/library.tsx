/**
 * The library's chunk, fetched once a <shop-along-library> comes into view
 * (embed.ts): the shop's page of live, upcoming and past shows (the same
 * component as /s/{slug}) in the element's shadow root; its links open the
 * shows on the shop-along site.
 */
import { render } from "preact";
import { ShopPage } from "../shop/ShopPage.tsx";
import { followPageLang } from "./page-lang.ts";
import { isLibrarySheet, styleRoot } from "./styles.ts";
import "../styles/panel.css";
import "../shop/shop.css";
import "./embed.css";
import "./embed-library.css";

export async function mountLibrary(host: HTMLElement, root: ShadowRoot): Promise<void> {
  // Its own sheets (panel.css brings base.css with it) and the embed's frame.
  styleRoot(root, (file) => isLibrarySheet(file) || file.endsWith("/embed.css"));
  const words = followPageLang(host);
  const mount = document.createElement("div");
  mount.className = "sa sa-library";
  root.append(mount);
  await words;
  render(<ShopPage slug={host.getAttribute("shop") ?? ""} />, mount);
}
