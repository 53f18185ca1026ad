import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { Role } from "./account.ts";
import { tConsole as t, type ConsoleKey } from "./i18n-console.ts";
import { ApiKeysSection } from "./ApiKeysSection.tsx";
import { OrdersSection, ReferralsSection } from "./OrdersSection.tsx";
import { ProductsSection } from "./ProductsSection.tsx";
import { ShopPageSection } from "./ShopPageSection.tsx";
import { ShopShows } from "./ShopShows.tsx";
import { TeamSection } from "./TeamSection.tsx";
import { WebhooksSection } from "./WebhooksSection.tsx";

/**
 * The console's sections for one shop, and who sees each (the server checks
 * again): one entry here, one panel in PANELS below.
 */
export const SECTIONS = [
  { id: "shows", label: "sectionShows", roles: ["owner", "manager", "host", "moderator"] },
  { id: "products", label: "sectionProducts", roles: ["owner", "manager"] },
  { id: "orders", label: "sectionOrders", roles: ["owner", "manager"] },
  { id: "referrals", label: "sectionReferrals", roles: ["owner", "manager"] },
  { id: "api-keys", label: "sectionApiKeys", roles: ["owner", "manager"] },
  { id: "webhooks", label: "sectionWebhooks", roles: ["owner", "manager"] },
  { id: "team", label: "sectionTeam", roles: ["owner", "manager"] },
  { id: "shop-page", label: "sectionShopPage", roles: ["owner", "manager"] },
] as const satisfies ReadonlyArray<{ id: string; label: ConsoleKey; roles: readonly Role[] }>;

export type SectionId = (typeof SECTIONS)[number]["id"];

export const sectionsFor = (role: Role) => SECTIONS.filter((section) => (section.roles as readonly Role[]).includes(role));

type Panel = (props: { shopId: string; role: Role; currency: string }) => JSX.Element;

const PANELS: Record<SectionId, Panel> = {
  shows: ({ shopId, role, currency }) => <ShopShows shopId={shopId} role={role} currency={currency} />,
  products: ({ shopId, currency }) => <ProductsSection shopId={shopId} currency={currency} />,
  orders: ({ shopId }) => <OrdersSection shopId={shopId} />,
  referrals: ({ shopId }) => <ReferralsSection shopId={shopId} />,
  "api-keys": ({ shopId, role }) => <ApiKeysSection shopId={shopId} role={role} />,
  webhooks: ({ shopId }) => <WebhooksSection shopId={shopId} />,
  team: ({ shopId, role }) => <TeamSection shopId={shopId} role={role} />,
  "shop-page": ({ shopId }) => <ShopPageSection shopId={shopId} />,
};

/** One shop's console: the tab bar of the sections its role opens, and the picked section under it. */
export function ShopSections({ shopId, role, currency }: { shopId: string; role: Role; currency: string }) {
  const [current, setCurrent] = useState<SectionId>("shows");
  const sections = sectionsFor(role);
  const Panel = PANELS[current];
  return (
    <>
      <nav class="sections" aria-label={t("sectionsLabel")}>
        {sections.map((section) => (
          <button
            key={section.id}
            type="button"
            class="section-tab"
            aria-current={section.id === current ? "page" : undefined}
            data-testid={`section-${section.id}`}
            onClick={() => setCurrent(section.id)}
          >
            {t(section.label)}
          </button>
        ))}
      </nav>
      <div class="section-panel" data-testid={`panel-${current}`}>
        <Panel shopId={shopId} role={role} currency={currency} />
      </div>
    </>
  );
}
