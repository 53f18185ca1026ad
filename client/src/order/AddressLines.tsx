import { lang } from "../i18n.ts";
import type { Address } from "../orders.ts";

/** An address as lines, the country named in the page's language. */
export function AddressLines({ address }: { address: Address }) {
  const country = new Intl.DisplayNames([lang.value], { type: "region" }).of(address.country) ?? address.country;
  const lines = [address.line1, address.line2, `${address.postalCode} ${address.city}`, address.region, country];
  return (
    <>
      {lines
        .filter((line): line is string => Boolean(line && line.trim()))
        .map((line, i) => (
          <span key={i} class="order-address-line">
            {line}
          </span>
        ))}
    </>
  );
}
