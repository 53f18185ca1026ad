/**
 * A show's private rehearsal, as its team lives it: the host opens the
 * studio of a show planned for tomorrow, taps Rehearse, goes live in the
 * rehearsal and pins a product; a team member (signed in) watches it on a
 * phone and places a test order; a signed-out phone is told the show is not
 * public yet; the show's own page still counts down and its stock is whole.
 */
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "../scripts/stack.ts";
import { byTestId, checkout, desktop, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots/rehearsal";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** A show a day out, and its owner's session cookie (the shop claimed with its key). */
async function plannedShow() {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Lotus Tea House", currency: "USD" });
  const product = (await api(origin, `/api/shops/${shop.id}/products`, { title: "Jasmine pearls", priceCents: 1899, imageUrl: "/demo/jasmine-pearls.svg" }, apiKey)).product;
  const startsAt = new Date(Date.now() + 86_400_000).toISOString();
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, { title: "Spring oolong tasting", startsAt, products: [{ productId: product.id, stock: 8 }] }, apiKey);
  const claimed = await fetch(`${origin}/api/auth/claim`, { method: "POST", headers: { Origin: origin, Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: "{}" });
  expect(claimed.status).toBe(201);
  const session = claimed.headers.getSetCookie().at(-1)!.split(";")[0]!.split("=")[1]!;
  return { shop, apiKey, product, room, links, hostKey: hostKeyOf({ links }), session };
}

const signedIn = async (context: BrowserContext, session: string) =>
  context.addCookies([{ name: "session", value: session, url: origin, httpOnly: true, sameSite: "Lax" }]);

describe("a show's rehearsal", () => {
  it("is started from the studio, watched and bought from by the team only; the show itself is untouched", async () => {
    const show = await plannedShow();
    const rehearsalId = `${show.room.id}.rehearsal`;

    // The host's studio (a laptop), with the host link: Rehearse opens the rehearsal's own studio.
    const studioContext = await desktop(browser, "en-US", 1366, 900);
    const studio = await studioContext.newPage();
    await studio.goto(show.links.host);
    await byTestId(studio, "rehearse").click();
    await studio.waitForURL(`${origin}/studio/${rehearsalId}`, { timeout: 15_000 });
    await byTestId(studio, "rehearsal-badge").waitFor({ timeout: 15_000 });
    expect(await byTestId(studio, "rehearsal-badge").textContent()).toBe("Rehearsal");
    await online(studio, 15_000);
    await byTestId(studio, "go-live").click();
    await expect.poll(() => byTestId(studio, "show-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("live");
    await byTestId(studio, "pin-button").first().click();

    // A team member on her phone, signed in: the rehearsal's viewer page, live, with its badge and the pin.
    const teamContext = await phone(browser, "zh-CN");
    await signedIn(teamContext, show.session);
    const team = await teamContext.newPage();
    await team.goto(`${origin}/r/${rehearsalId}`);
    await byTestId(team, "pinned-product").waitFor({ timeout: 15_000 });
    expect(await byTestId(team, "rehearsal-badge").textContent()).toBe("彩排");
    await team.screenshot({ path: `${SHOTS}/team-phone-zh.png` });
    await byTestId(team, "buy-now").click();
    await checkout(team, { name: "Mei Lin", email: "mei@example.com", quantity: 2 });
    const confirmation = byTestId(team, "order-confirmation");
    await confirmation.waitFor({ timeout: 15_000 });
    expect(await confirmation.locator('[data-testid="test-order"]').textContent()).toContain("测试订单");
    expect(await byTestId(team, "order-link").count()).toBe(0);
    await team.screenshot({ path: `${SHOTS}/test-order-phone-zh.png` });

    // The studio lists it as a test order, and its own stock moved.
    await byTestId(studio, "test-order").first().waitFor({ timeout: 10_000 });
    await expect.poll(() => byTestId(studio, "product-left").first().getAttribute("data-left"), { timeout: 10_000 }).toBe("6");
    await studio.screenshot({ path: `${SHOTS}/studio-desktop-en.png` });

    // The same rehearsal on the team's laptop, in English; and its studio on a phone, in Chinese (the owner's session, no key).
    const teamLaptop = await desktop(browser, "en-US", 1366, 900);
    await signedIn(teamLaptop, show.session);
    const wide = await teamLaptop.newPage();
    await wide.goto(`${origin}/r/${rehearsalId}`);
    await byTestId(wide, "pinned-product").waitFor({ timeout: 15_000 });
    expect(await byTestId(wide, "rehearsal-badge").textContent()).toBe("Rehearsal");
    await wide.screenshot({ path: `${SHOTS}/team-desktop-en.png` });
    const ownerPhone = await phone(browser, "zh-CN");
    await signedIn(ownerPhone, show.session);
    const small = await ownerPhone.newPage();
    await small.goto(`${origin}/studio/${rehearsalId}`);
    await online(small, 15_000);
    // On a phone the live show's studio is its live mode: the badge is in its top bar.
    expect(await byTestId(small, "live-rehearsal-badge").textContent()).toBe("彩排");
    await small.screenshot({ path: `${SHOTS}/studio-phone-zh.png` });
    await Promise.all([teamLaptop.close(), ownerPhone.close()]);

    // Everyone else: not public yet, in their language, on a phone as narrow as 320 px.
    for (const [locale, title, width] of [["en-US", "This show is not public yet", 390], ["zh-CN", "本场直播尚未公开", 320]] as const) {
      const context = await phone(browser, locale, width);
      const page = await context.newPage();
      await page.goto(`${origin}/r/${rehearsalId}`);
      await byTestId(page, "not-public-yet").waitFor({ timeout: 15_000 });
      expect(await page.locator("h1").textContent()).toBe(title);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/not-public-${width}-${locale}.png` });
      await context.close();
    }
    const laptop = await desktop(browser, "en-US", 1366, 900);
    const outsider = await laptop.newPage();
    await outsider.goto(`${origin}/r/${rehearsalId}`);
    await byTestId(outsider, "not-public-yet").waitFor({ timeout: 15_000 });
    await outsider.screenshot({ path: `${SHOTS}/not-public-desktop-en.png` });
    // A visitor who reads Chinese switches the page's language there.
    await byTestId(outsider, "lang-switch").click();
    await expect.poll(() => outsider.locator("h1").textContent(), { timeout: 5000 }).toBe("本场直播尚未公开");
    await outsider.screenshot({ path: `${SHOTS}/not-public-desktop-switched-zh.png` });
    await byTestId(outsider, "lang-switch").click();
    await expect.poll(() => outsider.locator("h1").textContent(), { timeout: 5000 }).toBe("This show is not public yet");

    // The show's own page still counts down to tomorrow, with all of its stock.
    await outsider.goto(show.links.viewer);
    await byTestId(outsider, "prelive-countdown").waitFor({ timeout: 15_000 });
    const { room } = await (await fetch(`${origin}/api/rooms/${show.room.id}`)).json();
    expect(room).toMatchObject({ status: "scheduled" });
    expect(room.products[0].left).toBe(8);
    const orders = await (await fetch(`${origin}/api/shops/${show.shop.id}/orders`, { headers: { Authorization: `Bearer ${show.apiKey}` } })).json();
    expect(orders.orders).toEqual([]);

    // Back to the show's studio: still scheduled, with its Rehearse button.
    await byTestId(studio, "back-to-show").click();
    await studio.waitForURL(`${origin}/studio/${show.room.id}`);
    await expect.poll(() => byTestId(studio, "show-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("scheduled");
    await byTestId(studio, "rehearse").waitFor();
    await Promise.all([studioContext.close(), teamContext.close(), laptop.close()]);
  }, 120_000);
});
