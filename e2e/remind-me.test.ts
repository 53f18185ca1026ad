/**
 * "Remind me", as a viewer does it on a phone: a show 14 minutes away (so
 * the 15-minute reminder is already due), a tap on Remind me, the .ics file
 * (its contents checked), an email, the confirmation link from the local
 * email view, and then the reminders as they come: 15 minutes before, "we're
 * live" when the host starts, and a product's alert (asked for from the
 * product list) that deep-links into the show at it. Unsubscribing from a
 * reminder's link. Screenshots at 390×844 and 1366×900, in English and Chinese.
 */
import { mkdir, readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, latestEmail } from "../scripts/stack.ts";
import { byTestId, desktop, hostKeyOf, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/remind-shots";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(() => browser?.close());

/** A show starting `minutes` from now, made through the API. */
async function showIn(minutes: number) {
  const { shop, apiKey } = await api(origin, "/api/shops", { name: "Lotus Tea House", currency: "USD" });
  const { product } = await api(origin, `/api/shops/${shop.id}/products`, { title: "Jasmine pearls", priceCents: 1899, imageUrl: "/demo/gaiwan-set.svg" }, apiKey);
  const startsAt = new Date(Date.now() + minutes * 60_000);
  startsAt.setSeconds(0, 0);
  const { room, links } = await api(origin, `/api/shops/${shop.id}/rooms`, { title: "Winter tea, tasted live", startsAt: startsAt.toISOString(), products: [{ productId: product.id, stock: 5 }] }, apiKey);
  return { shop, apiKey, product, room, startsAt, hostKey: hostKeyOf({ links }) };
}

/** The newest email to `to` once it is the one with this subject (others may still be arriving from the queue). */
async function emailTitled(to: string, subject: string, since: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const email = await latestEmail(origin, to, { since, timeoutMs: 20_000 });
    if (email.subject === subject || Date.now() > deadline) return email;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const linkIn = (text: string, pattern: RegExp) => pattern.exec(text)?.[0] ?? "";

/** Taps Remind me (or a product's button), gives the email, and follows the confirmation link; returns when it is on. */
async function askAndConfirm(page: Page, email: string, button: string) {
  await byTestId(page, button).first().click();
  await byTestId(page, "remind-sheet").waitFor();
  await byTestId(page, "remind-email").fill(email);
  const since = Date.now() - 1000;
  await byTestId(page, "remind-send").click();
  await byTestId(page, "remind-sent").waitFor();
  const confirmation = await latestEmail(origin, email, { since });
  const link = linkIn(confirmation.text, new RegExp(`${origin}/remind#confirm=\\S+`));
  expect(link).not.toBe("");
  return { confirmation, link };
}

describe("Remind me", () => {
  it("a viewer on a phone gets a calendar file, confirms an email reminder, and receives the reminders as the show nears and goes live", async () => {
    const show = await showIn(14);
    const email = `viewer.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const context = await browser.newContext({ ...{ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, locale: "en-US", timezoneId: "Europe/Stockholm", acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${origin}/r/${show.room.id}`);
    await byTestId(page, "remind-me").waitFor();
    await page.screenshot({ path: `${SHOTS}/phone-en-poster.png` });

    // First tap: the sheet. Second tap: the calendar file.
    await byTestId(page, "remind-me").click();
    await byTestId(page, "remind-sheet").waitFor();
    await page.screenshot({ path: `${SHOTS}/phone-en-sheet.png` });
    const [download] = await Promise.all([page.waitForEvent("download"), byTestId(page, "remind-ics").click()]);
    expect(download.suggestedFilename()).toBe(`${show.room.id}.ics`);
    const ics = (await readFile((await download.path())!, "utf8")).replace(/\r\n /g, "");
    const utc = show.startsAt.toISOString().replace(/[-:]/g, "").replace(".000", "");
    expect(ics).toContain(`DTSTART:${utc}`);
    expect(ics).toContain("SUMMARY:Winter tea\\, tasted live");
    expect(ics).toContain(`URL:${origin}/r/${show.room.id}`);
    expect(ics).toContain("BEGIN:VALARM\r\nACTION:DISPLAY");
    expect(ics).toContain("TRIGGER:-PT10M");
    const google = new URL((await byTestId(page, "remind-google").getAttribute("href"))!);
    expect(google.origin + google.pathname).toBe("https://calendar.google.com/calendar/render");
    expect(google.searchParams.get("dates")).toBe(`${utc}/${new Date(show.startsAt.getTime() + 3_600_000).toISOString().replace(/[-:]/g, "").replace(".000", "")}`);

    // The email: check your inbox, then the link in it.
    await byTestId(page, "remind-email").fill(email);
    const since = Date.now() - 1000;
    await byTestId(page, "remind-send").click();
    await byTestId(page, "remind-sent").waitFor();
    expect(await byTestId(page, "remind-sent").textContent()).toContain("Check your inbox to confirm");
    await page.screenshot({ path: `${SHOTS}/phone-en-check-inbox.png` });
    const confirmation = await latestEmail(origin, email, { since });
    expect(confirmation.subject).toBe("Confirm your reminder · Winter tea, tasted live");
    // The start in the viewer's zone (Stockholm), with the zone named.
    expect(confirmation.text).toMatch(/GMT\+1/);
    const link = linkIn(confirmation.text, new RegExp(`${origin}/remind#confirm=\\S+`));
    const confirmedAt = Date.now() - 1000;
    const confirmPage = await context.newPage();
    await confirmPage.goto(link);
    await confirmPage.locator('[data-testid="remind-page"][data-outcome="done"]').waitFor();
    expect(await byTestId(confirmPage, "remind-page").textContent()).toContain("Your reminder is on");
    // The token left the address bar.
    expect(confirmPage.url()).toBe(`${origin}/remind`);
    await confirmPage.screenshot({ path: `${SHOTS}/phone-en-confirmed.png` });

    // The start is 14 minutes away: the 15-minute reminder comes at once.
    const soon = await emailTitled(email, "Starting in 15 minutes: Winter tea, tasted live", confirmedAt);
    expect(soon.subject).toBe("Starting in 15 minutes: Winter tea, tasted live");
    expect(soon.text).toContain(`${origin}/r/${show.room.id}`);
    const unsubscribeLink = linkIn(soon.text, new RegExp(`${origin}/remind#unsubscribe=\\S+`));
    expect(unsubscribeLink).not.toBe("");

    // The host goes live: "we're live".
    const liveAt = Date.now() - 500;
    await api(origin, `/api/rooms/${show.room.id}/status`, { status: "live" }, show.hostKey);
    const live = await emailTitled(email, "We're live: Winter tea, tasted live", liveAt);
    expect(live.subject).toBe("We're live: Winter tea, tasted live");

    // One click stops them.
    await confirmPage.goto(unsubscribeLink);
    await confirmPage.locator('[data-testid="remind-page"][data-outcome="done"]').waitFor();
    expect(await byTestId(confirmPage, "remind-page").textContent()).toContain("You're unsubscribed");
    await context.close();
  });

  it("\"tell me when this is on\": asked from the show's products, the email names the product and opens the show at it", async () => {
    const show = await showIn(60 * 24);
    const email = `product.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const context = await phone(browser, "en-US");
    const page = await context.newPage();
    await page.goto(`${origin}/r/${show.room.id}`);
    // The show's page before it starts lists its products, each with its own "tell me when this is on".
    await byTestId(page, "remind-product").first().waitFor({ timeout: 15_000 });
    const { confirmation, link } = await askAndConfirm(page, email, "remind-product");
    expect(confirmation.text).toContain("Jasmine pearls");
    await page.screenshot({ path: `${SHOTS}/phone-en-product-sheet.png` });
    const confirmPage = await context.newPage();
    await confirmPage.goto(link);
    await confirmPage.locator('[data-testid="remind-page"][data-outcome="done"]').waitFor();

    await api(origin, `/api/rooms/${show.room.id}/status`, { status: "live" }, show.hostKey);
    const pinnedAt = Date.now() - 500;
    await api(origin, `/api/rooms/${show.room.id}/pin`, { productId: show.product.id }, show.hostKey);
    const alert = await emailTitled(email, "On now: Jasmine pearls · Winter tea, tasted live", pinnedAt);
    expect(alert.subject).toBe("On now: Jasmine pearls · Winter tea, tasted live");
    const deepLink = `${origin}/r/${show.room.id}#product=${show.product.id}`;
    expect(alert.text).toContain(deepLink);
    const viewer = await context.newPage();
    await viewer.goto(deepLink);
    await viewer.locator(`[data-testid="checkout-sheet"][data-product-id="${show.product.id}"]`).waitFor({ timeout: 15_000 });
    expect(viewer.url()).toBe(`${origin}/r/${show.room.id}`);
    await context.close();
  });

  it("fits the phone and the desktop, in English and Chinese", async () => {
    const show = await showIn(60 * 24);
    for (const [locale, width] of [["zh-CN", 390], ["en-US", 320], ["zh-CN", 320]] as const) {
      const context = await phone(browser, locale, width);
      const page = await context.newPage();
      await page.goto(`${origin}/r/${show.room.id}`);
      await byTestId(page, "remind-me").click();
      await byTestId(page, "remind-sheet").waitFor();
      if (locale === "zh-CN") expect(await byTestId(page, "remind-me").textContent()).toBe("提醒我");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `${SHOTS}/phone-${locale}-${width}-sheet.png` });
      await context.close();
    }
    for (const locale of ["en-US", "zh-CN"] as const) {
      const context = await desktop(browser, locale, 1366, 900);
      const page = await context.newPage();
      await page.goto(`${origin}/r/${show.room.id}`);
      await byTestId(page, "remind-me").click();
      await byTestId(page, "remind-email").fill("desk@example.com");
      await byTestId(page, "remind-send").click();
      await byTestId(page, "remind-sent").waitFor();
      await page.screenshot({ path: `${SHOTS}/desktop-${locale}-sent.png` });
      await context.close();
    }
  });

  it("the brand sees the RSVPs: the count in the console's show card, the count over time and the emails as CSV; the studio shows the counts", async () => {
    const context = await desktop(browser, "en-US", 1366, 900);
    const page = await context.newPage();
    await page.goto(`${origin}/console`);
    const { shopId, apiKey } = await page.evaluate(async () => {
      const made = await (await fetch("/api/shops", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Lotus Tea House", currency: "USD" }) })).json();
      const claim = await fetch("/api/auth/claim", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${made.apiKey}` }, body: "{}" });
      if (!claim.ok) throw new Error(`claim: ${claim.status}`);
      return { shopId: made.shop.id as string, apiKey: made.apiKey as string };
    });
    const { product } = await api(origin, `/api/shops/${shopId}/products`, { title: "Jasmine pearls", priceCents: 1899 }, apiKey);
    const { room, links } = await api(origin, `/api/shops/${shopId}/rooms`, { title: "Winter tea, tasted live", startsAt: new Date(Date.now() + 86_400_000).toISOString(), products: [{ productId: product.id, stock: 5 }] }, apiKey);
    const emails = [`a.${crypto.randomUUID().slice(0, 8)}@example.com`, `b.${crypto.randomUUID().slice(0, 8)}@example.com`];
    for (const email of emails) {
      const since = Date.now() - 1000;
      await api(origin, `/api/rooms/${room.id}/rsvps`, { email });
      const token = decodeURIComponent(/#confirm=(\S+)/.exec((await latestEmail(origin, email, { since })).text)![1]!);
      await api(origin, "/api/rsvps/confirm", { token });
    }
    await api(origin, `/api/rooms/${room.id}/rsvps`, { email: "waiting@example.com" });

    await page.reload();
    const count = page.locator('[data-testid="console-show"]', { hasText: "Winter tea, tasted live" }).locator('[data-testid="console-show-rsvps"]');
    await count.waitFor({ timeout: 15_000 });
    expect(await count.textContent()).toBe("2 reminders");
    await count.click();
    await page.locator('[data-testid="rsvp-chart"] canvas').waitFor({ timeout: 15_000 });
    expect(await byTestId(page, "rsvp-summary").textContent()).toContain("1 waiting for confirmation");
    await page.screenshot({ path: `${SHOTS}/desktop-en-console.png` });
    const [download] = await Promise.all([page.waitForEvent("download"), byTestId(page, "rsvp-csv").click()]);
    const csv = (await readFile((await download.path())!, "utf8")).trim().split("\r\n");
    expect(csv[0]).toBe("email,product_id,locale,confirmed_at");
    expect(csv.slice(1).map((line) => line.split(",")[0]).sort()).toEqual([...emails].sort());
    await context.close();

    for (const [locale, size] of [["zh-CN", "phone"], ["en-US", "phone"], ["zh-CN", "desktop"]] as const) {
      const studioContext = size === "phone" ? await phone(browser, locale) : await desktop(browser, locale, 1366, 900);
      const studio = await studioContext.newPage();
      await studio.goto(links.host);
      await byTestId(studio, "studio-rsvps").waitFor({ timeout: 20_000 });
      expect(await byTestId(studio, "rsvp-active").textContent()).toBe(locale === "zh-CN" ? "2 人预约提醒" : "2 reminders");
      await studio.locator('[data-testid="studio-rsvps"] canvas').waitFor();
      expect(await studio.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await byTestId(studio, "studio-rsvps").scrollIntoViewIfNeeded();
      await studio.screenshot({ path: `${SHOTS}/${size}-${locale}-studio.png` });
      await studioContext.close();
    }
  });
});
