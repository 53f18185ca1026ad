/**
 * The console's sections in Chromium, as an owner signed in with a passkey
 * (Chromium's virtual authenticator) uses them on a phone: a product with a photo from the file input and two sizes; a show
 * made from it with a start time; its title changed while a viewer watches
 * the show's page (the new title appears there at once); an order on the
 * Orders tab marked packed; an API key made, used with fetch, revoked (the
 * next call is 401). Then every section on a laptop in Simplified Chinese,
 * and on the narrowest phone.
 */
import { mkdirSync } from "node:fs";
import type { Browser, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, desktop, fitsWidth, launchBrowser, phone, PNG } from "./browser.ts";

// WebAuthn takes a domain as the passkeys' owner, never an IP address: the stack's 127.0.0.1 is reached as localhost.
const origin = inject("origin").replace("//127.0.0.1:", "//localhost:");
const SHOTS = "/tmp/shots";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** A new shop, claimed by this browser as the landing page does it: the page is then signed in as its owner. */
async function ownShop(page: Page, name: string): Promise<{ shopId: string; apiKey: string }> {
  await page.goto(`${origin}/console`);
  return page.evaluate(async (name) => {
    const made = await (await fetch("/api/shops", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, currency: "EUR" }) })).json();
    const claim = await fetch("/api/auth/claim", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${made.apiKey}` }, body: "{}" });
    if (!claim.ok) throw new Error(`claim: ${claim.status}`);
    return { shopId: made.shop.id as string, apiKey: made.apiKey as string };
  }, name);
}

/** A platform authenticator that says yes (user present and verified), with resident keys: what a phone's passkeys are. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

/**
 * The owner as they come back: a shop claimed on one device that added a
 * passkey there, then this phone signing in to /console with that passkey.
 */
async function signInWithPasskey(page: Page, shopName: string): Promise<{ shopId: string }> {
  const first = await (await phone(browser)).newPage();
  const device = await virtualAuthenticator(first);
  const { shopId } = await ownShop(first, shopName);
  await first.reload();
  await byTestId(first, "add-passkey").click();
  await byTestId(first, "passkey-added").waitFor({ timeout: 10_000 });
  const { credentials } = (await device.cdp.send("WebAuthn.getCredentials", { authenticatorId: device.authenticatorId })) as { credentials: object[] };
  await first.context().close();
  const here = await virtualAuthenticator(page);
  await here.cdp.send("WebAuthn.addCredential", { authenticatorId: here.authenticatorId, credential: credentials[0] as never });
  await page.goto(`${origin}/console`);
  await byTestId(page, "sign-in-passkey").click();
  return { shopId };
}

const section = async (page: Page, id: string) => {
  await byTestId(page, `section-${id}`).click();
  await byTestId(page, `panel-${id}`).waitFor();
};

/** A datetime-local value `days` from now, in the page's time zone (the test's). */
function inDays(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

describe("the console's sections", () => {
  let shopId = "";

  it("a signed-in owner adds a product, makes a show of it, renames it while a viewer watches, packs its order and uses, then revokes, an API key", async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    ({ shopId } = await signInWithPasskey(page, "Maple & Moss"));
    await expect.poll(() => byTestId(page, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("Maple & Moss");
    expect(await byTestId(page, "section-api-keys").isVisible()).toBe(true);

    // Products: a scarf with a photo from the file input, in two sizes.
    await section(page, "products");
    await byTestId(page, "product-add").click();
    await byTestId(page, "product-title-0").fill("Merino scarf");
    await byTestId(page, "product-price-0").fill("39.90");
    await byTestId(page, "product-photo-0").setInputFiles({ name: "scarf.png", mimeType: "image/png", buffer: PNG });
    await byTestId(page, "product-photo-preview-0").waitFor();
    // The catalogue asks for no units: those are set per show.
    expect(await byTestId(page, "product-stock-0").count()).toBe(0);
    await byTestId(page, "product-add-variants-0").click();
    await byTestId(page, "product-option-name-0-0").fill("Size");
    await byTestId(page, "product-option-values-0-0").fill("S, M, XL");
    // Each size is kept or left out, not given units; XL is left out.
    await byTestId(page, "product-variant-stock-0-2").uncheck();
    await page.screenshot({ path: `${SHOTS}/console-product-form-phone-en.png`, fullPage: true });
    expect(await fitsWidth(page)).toBe(true);
    await byTestId(page, "product-save").click();
    await expect.poll(() => byTestId(page, "catalogue-product-title").allTextContents(), { timeout: 10_000 }).toEqual(["Merino scarf"]);
    const row = byTestId(page, "catalogue-product");
    await expect.poll(() => row.textContent()).toContain("S, M");
    await expect.poll(() => row.locator("img").getAttribute("src")).toMatch(/\/photos\//);
    await page.screenshot({ path: `${SHOTS}/console-products-phone-en.png`, fullPage: true });

    // Shows: one made from the catalogue, 3 of S and 5 of M, starting tomorrow.
    await section(page, "shows");
    await byTestId(page, "show-new").click();
    await byTestId(page, "show-form-title").fill("Autumn knitwear drop");
    await byTestId(page, "show-form-description").fill("Scarves for the first cold days.");
    await byTestId(page, "show-form-start").fill(inDays(1));
    await byTestId(page, "show-form-pick").check();
    await byTestId(page, "show-form-units").nth(0).fill("3");
    await byTestId(page, "show-form-units").nth(1).fill("5");
    await page.screenshot({ path: `${SHOTS}/console-show-form-phone-en.png`, fullPage: true });
    expect(await fitsWidth(page)).toBe(true);
    await byTestId(page, "show-form-save").click();
    await expect.poll(() => byTestId(page, "console-show-title").allTextContents(), { timeout: 10_000 }).toEqual(["Autumn knitwear drop"]);
    const viewerLink = (await byTestId(page, "console-show-viewer").getAttribute("href"))!;
    const roomId = viewerLink.split("/r/")[1]!;
    const { room } = await (await fetch(`${origin}/api/rooms/${roomId}`)).json();
    expect(room.products[0].variants.map((v: { left: number }) => v.left)).toEqual([3, 5]);

    // A past start is refused in the form, before anything is sent.
    await byTestId(page, "show-edit").click();
    await byTestId(page, "show-form-start").fill(inDays(-1));
    await byTestId(page, "show-form-save").click();
    await byTestId(page, "show-form-problem").waitFor();

    // A viewer has the show's page open; the owner renames the show; the page shows the new title without a reload.
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(viewerLink);
    await expect.poll(() => byTestId(viewer, "show-title").first().textContent(), { timeout: 10_000 }).toBe("Autumn knitwear drop");
    await byTestId(page, "show-form-start").fill(inDays(2));
    await byTestId(page, "show-form-title").fill("Winter knitwear drop");
    await byTestId(page, "show-form-save").click();
    await expect.poll(() => byTestId(page, "console-show-title").allTextContents(), { timeout: 10_000 }).toEqual(["Winter knitwear drop"]);
    await expect.poll(() => byTestId(viewer, "show-title").first().textContent(), { timeout: 10_000 }).toBe("Winter knitwear drop");
    await viewer.screenshot({ path: `${SHOTS}/console-renamed-viewer-phone-en.png` });
    await viewer.context().close();
    await page.screenshot({ path: `${SHOTS}/console-shows-phone-en.png`, fullPage: true });

    // A buyer orders a size M; the Orders tab shows it, and the owner marks it packed.
    const medium = room.products[0].variants[1];
    const ordered = await fetch(`${origin}/api/rooms/${roomId}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `console-e2e-${Date.now()}` },
      body: JSON.stringify({ productId: room.products[0].id, variantId: medium.id, quantity: 1, buyer: { name: "Mei Lin", email: "mei@example.com" }, fulfilment: { type: "pickup" } }),
    });
    expect(ordered.status).toBe(201);
    await section(page, "orders");
    await expect.poll(() => byTestId(page, "board-order").count(), { timeout: 15_000 }).toBe(1);
    await byTestId(page, "mark-packed").click();
    await expect.poll(() => byTestId(page, "board-order").getAttribute("data-fulfilment"), { timeout: 10_000 }).toBe("packed");
    await page.screenshot({ path: `${SHOTS}/console-orders-phone-en.png`, fullPage: true });
    expect(await fitsWidth(page)).toBe(true);

    await section(page, "referrals");
    await page.screenshot({ path: `${SHOTS}/console-referrals-phone-en.png`, fullPage: true });

    // API keys: one made for a script, shown once, used with fetch, then revoked: the next call is refused.
    await section(page, "api-keys");
    await byTestId(page, "api-key-name").fill("Order sync");
    await byTestId(page, "api-key-create").click();
    const key = (await byTestId(page, "api-key-value").textContent())!.trim();
    expect(key).toMatch(/^sk_[0-9A-Za-z]{32}$/);
    await page.screenshot({ path: `${SHOTS}/console-api-key-made-phone-en.png`, fullPage: true });
    expect(await fitsWidth(page)).toBe(true);
    const orders = (auth: string) => fetch(`${origin}/api/shops/${shopId}/orders`, { headers: { authorization: `Bearer ${auth}` } });
    expect((await orders(key)).status).toBe(200);
    // The show goes live and ends (through the new key): the past show says how long it ran and what it sold.
    for (const status of ["live", "ended"]) {
      const res = await fetch(`${origin}/api/rooms/${roomId}/status`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ status }),
      });
      expect(res.status).toBe(200);
    }
    await section(page, "shows");
    await expect.poll(() => byTestId(page, "show-figures").textContent(), { timeout: 10_000 }).toMatch(/^1 min · 1 order · €/);
    await page.screenshot({ path: `${SHOTS}/console-past-show-phone-en.png`, fullPage: true });
    await section(page, "api-keys");
    const named = byTestId(page, "api-key").filter({ hasText: "Order sync" });
    await named.locator('[data-testid="api-key-revoke"]').click();
    await expect.poll(() => named.getAttribute("data-revoked")).toBe("true");
    expect(dialogs.at(-1)).toContain("Order sync");
    expect((await orders(key)).status).toBe(401);
    await page.screenshot({ path: `${SHOTS}/console-api-keys-phone-en.png`, fullPage: true });
    await context.close();
  });

  it("every section fits a laptop in Simplified Chinese, and the narrowest phone", async () => {
    for (const [name, context] of [
      ["desktop-zh", await desktop(browser, "zh-CN", 1366, 900)],
      ["phone-320-zh", await phone(browser, "zh-CN", 320)],
    ] as const) {
      const page = await context.newPage();
      await ownShop(page, "枫与苔");
      await page.reload();
      await expect.poll(() => byTestId(page, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("枫与苔");
      for (const id of ["shows", "products", "orders", "referrals", "api-keys"]) {
        await section(page, id);
        if (id === "shows") await byTestId(page, "show-new").click();
        if (id === "products") await byTestId(page, "product-add").click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: `${SHOTS}/console-${id}-${name}.png`, fullPage: true });
        expect(await fitsWidth(page), `${id} at ${name}`).toBe(true);
      }
      expect(await byTestId(page, "section-orders").textContent()).toBe("订单");
      await context.close();
    }
  });
});
