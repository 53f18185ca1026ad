/**
 * The shop's orders page (/orders/{shopId}#key=sk_…): the orders board with
 * the shop's API key, until the brand's console mounts the same board with
 * a signed-in session. The key comes in the fragment (never sent to a
 * server), is kept in this tab's sessionStorage and taken out of the address
 * bar, so a screenshare or screenshot does not show it.
 */
import { effect } from "@preact/signals";
import { render } from "preact";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { TopBar } from "../components/TopBar.tsx";
import { tFulfilment as t } from "../i18n-fulfilment.ts";
import { ReferralCodes } from "../referrals/ReferralCodes.tsx";
import { OrdersBoard } from "./OrdersBoard.tsx";
import "../styles/status-badge.css";
import "./board.css";

const match = /^\/orders\/([^/]+)\/?$/.exec(location.pathname);
const shopId = match?.[1] ? decodeURIComponent(match[1]) : null;

function takeShopKey(id: string): string | null {
  const storageKey = `shop-along:shop-key:${id}`;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("key");
  try {
    if (fromHash) {
      sessionStorage.setItem(storageKey, fromHash);
      history.replaceState(history.state, "", location.pathname + location.search);
      return fromHash;
    }
    return sessionStorage.getItem(storageKey);
  } catch {
    // No storage (private mode): the key stays in the address bar, so a reload still works.
    return fromHash;
  }
}

const key = shopId ? takeShopKey(shopId) : null;
const withKey = (path: string, init: RequestInit) => {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${key}`);
  return fetch(path, { ...init, headers });
};

effect(() => {
  document.title = `${t("boardTitle")} · shop-along`;
});

function OrdersPage() {
  return (
    <>
      <TopBar />
      <main class="orders-page">
        {shopId && key ? (
          <>
            <OrdersBoard shopId={shopId} fetch={withKey} />
            <ReferralCodes shopId={shopId} fetch={withKey} />
          </>
        ) : (
          <p class="card" role="alert" data-testid="board-no-key">
            {t("boardNoKey")}
          </p>
        )}
      </main>
    </>
  );
}

render(<OrdersPage />, document.getElementById("app")!);
