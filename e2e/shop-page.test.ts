/**
 * The shop's page and the shop window's poster, as people use them: the
 * brand picks its page's address in the console, a visitor opens /s/{slug}
 * on a phone and sees the show live now and the upcoming one with its
 * countdown; the brand prints an upcoming show's poster (A4 and A5) whose
 * QR code leads to the show with the store's referral code.
 */
import jsQR from "jsqr";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, fitsWidth, hostKeyOf, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Fails the test on any Content-Security-Policy violation or script error of the page. */
function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    if (/Content Security Policy|CSP/.test(message.text())) problems.push(message.text());
  });
  return problems;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/.artifacts/shop-page-${name}.png`, fullPage: true });

/** A shop with a show live now and one tomorrow (with a cover), made through the API. */
async function shopWithShows() {
  const show = await createShow(origin);
  await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
  const startsAt = new Date(Date.now() + 26 * 3_600_000).toISOString();
  const { room: upcoming } = await show.api(
    `/api/shops/${show.shop.id}/rooms`,
    { title: "Autumn oolong tasting", startsAt, products: show.products.map((p: { id: string }) => ({ productId: p.id, stock: 4 })) },
    show.apiKey,
  );
  await fetch(`${origin}/api/shops/${show.shop.id}/rooms/${upcoming.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${show.apiKey}` },
    body: JSON.stringify({ coverImageUrl: "/demo/oolong-tin.svg", description: "Four oolongs from Wuyi, brewed live." }),
  });
  return { ...show, upcoming: upcoming as { id: string }, startsAt };
}

/** Signs this page's browser in as the owner of the shop the key belongs to (what the landing page does after making a shop). */
async function signInAsOwner(page: Page, apiKey: string) {
  await page.goto(`${origin}/console`);
  await page.evaluate(async (key) => {
    const claim = await fetch("/api/auth/claim", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: "{}" });
    if (!claim.ok) throw new Error(`claim: ${claim.status}`);
  }, apiKey);
}

/**
 * Reads the QR code in a PNG (a screenshot): a blank page draws it on a
 * canvas at most 400 px wide and hands back its pixels, which jsQR decodes.
 */
async function readQr(png: Buffer): Promise<string | null> {
  const page = await browser.newPage();
  const { width, height, pixels } = await page.evaluate(async (src) => {
    const image = new Image();
    image.src = src;
    await image.decode();
    const scale = Math.min(1, 400 / image.width);
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = "";
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, pixels: btoa(binary) };
  }, `data:image/png;base64,${png.toString("base64")}`);
  await page.close();
  return jsQR(Uint8ClampedArray.from(Buffer.from(pixels, "base64")), width, height)?.data ?? null;
}

/** The size of a PDF's pages in points, from its MediaBox; and how many pages it has. */
function pdfPages(pdf: Buffer): { count: number; width: number; height: number } {
  const text = pdf.toString("latin1");
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
  return { count: text.match(/\/Type\s*\/Page\b/g)?.length ?? 0, width: Number(box?.[1]), height: Number(box?.[2]) };
}

describe("the shop's page", () => {
  it("the brand picks its address in the console; a visitor on a phone sees the live show on top and the upcoming one counting down", async () => {
    const shop = await shopWithShows();
    const other = await createShow(origin);
    const slug = `lotus-${shop.shop.id.slice(2, 8).toLowerCase()}`;

    const brand = await (await phone(browser)).newPage();
    await signInAsOwner(brand, shop.apiKey);
    await brand.goto(`${origin}/console`);
    await byTestId(brand, "section-shop-page").click();
    await byTestId(brand, "shop-page-url").waitFor({ timeout: 10_000 });
    expect(await byTestId(brand, "shop-page-url").textContent()).toBe(`${origin}/s/${shop.shop.slug}`);
    // Another shop's address is refused, in words.
    await byTestId(brand, "shop-slug-input").fill(other.shop.slug);
    await byTestId(brand, "shop-slug-save").click();
    expect(await byTestId(brand, "shop-slug-problem").textContent()).toContain("Another shop already has this address");
    await byTestId(brand, "shop-slug-input").fill(slug);
    await byTestId(brand, "shop-slug-save").click();
    await byTestId(brand, "shop-slug-saved").waitFor();
    expect(await byTestId(brand, "shop-page-url").textContent()).toBe(`${origin}/s/${slug}`);
    expect(await fitsWidth(brand)).toBe(true);
    await shot(brand, "console-390-en");
    await brand.context().close();

    const visitor = await (await phone(browser)).newPage();
    const problems = watchForProblems(visitor);
    // The old address leads to the new one.
    await visitor.goto(`${origin}/s/${shop.shop.slug}`);
    expect(new URL(visitor.url()).pathname).toBe(`/s/${slug}`);
    await byTestId(visitor, "shop-live-show").waitFor({ timeout: 10_000 });
    expect(await byTestId(visitor, "shop-name").textContent()).toBe("Lotus Tea House");
    expect(await byTestId(visitor, "shop-live-show").textContent()).toContain("Spring tasting");
    expect(await byTestId(visitor, "shop-upcoming-show").count()).toBe(1);
    expect(await byTestId(visitor, "shop-show-title").textContent()).toBe("Autumn oolong tasting");
    const expected = await visitor.evaluate((iso) => new Date(iso).toLocaleString("en-US", { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }), shop.startsAt);
    expect(await byTestId(visitor, "shop-show-time").textContent()).toBe(expected);
    const first = await byTestId(visitor, "shop-countdown").textContent();
    expect(first).toMatch(/^Starts in 1 d 0[12]:\d\d:\d\d$/);
    await expect.poll(() => byTestId(visitor, "shop-countdown").textContent(), { timeout: 5000 }).not.toBe(first);
    // The live show is at the top, above the upcoming ones.
    const [liveBox, upcomingBox] = await Promise.all([byTestId(visitor, "shop-live-show").boundingBox(), byTestId(visitor, "shop-upcoming-show").boundingBox()]);
    expect(liveBox!.y).toBeLessThan(upcomingBox!.y);
    // Its link preview, as a chat app reads it.
    expect(await visitor.locator('meta[property="og:title"]').getAttribute("content")).toBe("Lotus Tea House");
    expect(await visitor.locator('meta[name="twitter:card"]').getAttribute("content")).toBe("summary_large_image");
    expect(await fitsWidth(visitor)).toBe(true);
    await shot(visitor, "390-en");

    expect(problems).toEqual([]);
    await byTestId(visitor, "shop-live-show").click();
    await visitor.waitForURL(`${origin}/r/${shop.room.id}`);
    await visitor.context().close();

    // In Shanghai, in Chinese: the start in that zone (UTC+8), as the browser writes it.
    const shanghai = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN", timezoneId: "Asia/Shanghai" })
    ).newPage();
    await shanghai.goto(`${origin}/s/${slug}`);
    await byTestId(shanghai, "shop-show-time").waitFor({ timeout: 10_000 });
    const inShanghai = new Date(shop.startsAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
    expect(await byTestId(shanghai, "shop-show-time").textContent()).toBe(inShanghai);
    await shot(shanghai, "390-zh-CN");
    await shanghai.context().close();

    for (const [name, context, locale, width] of [
      ["320-zh-CN", phone, "zh-CN", 320],
      ["1366-en", desktop, "en-US", 1366],
      ["1366-zh-CN", desktop, "zh-CN", 1366],
    ] as const) {
      const page = await (context === phone ? phone(browser, locale, width) : desktop(browser, locale, 1366, 900)).then((c) => c.newPage());
      await page.goto(`${origin}/s/${slug}`);
      await byTestId(page, "shop-countdown").waitFor({ timeout: 10_000 });
      if (locale === "zh-CN") {
        expect(await byTestId(page, "shop-countdown").textContent()).toMatch(/^1 天 0[12]:\d\d:\d\d 后开播$/);
        expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
      }
      expect(await fitsWidth(page), name).toBe(true);
      await shot(page, name);
      await page.context().close();
    }
  });

  it("an unknown address is the 404 page", async () => {
    const page = await (await phone(browser)).newPage();
    const response = await page.goto(`${origin}/s/no-such-shop-anywhere`);
    expect(response?.status()).toBe(404);
    await byTestId(page, "page-not-found").waitFor({ timeout: 10_000 });
    await page.context().close();
  });
});

describe("the poster for the shop window", () => {
  it("prints on A4 and A5 with a QR code that leads to the show with the store's referral code", async () => {
    const shop = await shopWithShows();
    await shop.api(`/api/shops/${shop.shop.id}/referral-codes`, { code: "store-42", name: "Store 42 (Jing'an)" }, shop.apiKey);
    await shop.api(`/api/shops/${shop.shop.id}/referral-codes`, { code: "mei", name: "Mei (staff)" }, shop.apiKey);

    const context = await phone(browser);
    const screen = await context.newPage();
    // Signed out, it says to sign in and shows nothing of the show.
    await screen.goto(`${origin}/console/poster/${shop.shop.id}/${shop.upcoming.id}`);
    await screen.getByRole("alert").waitFor({ timeout: 10_000 });
    expect(await byTestId(screen, "poster-sheet").count()).toBe(0);

    await signInAsOwner(screen, shop.apiKey);
    await screen.goto(`${origin}/console`);
    await byTestId(screen, "console-show-poster").click();
    await screen.waitForURL(`${origin}/console/poster/${shop.shop.id}/${shop.upcoming.id}`);
    await byTestId(screen, "poster-sheet").waitFor({ timeout: 10_000 });
    expect(await byTestId(screen, "poster-title").textContent()).toBe("Autumn oolong tasting");
    expect(await byTestId(screen, "poster-shop").textContent()).toBe("Lotus Tea House");
    const when = await screen.evaluate((iso) => new Date(iso).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit", timeZoneName: "short" }), shop.startsAt);
    expect(await byTestId(screen, "poster-when").textContent()).toContain(when);
    await screen.selectOption('[data-testid="poster-referral"]', "store-42");
    expect(await fitsWidth(screen)).toBe(true);
    await shot(screen, "poster-screen-390-en");
    // The same session on a laptop (a shop can be claimed once): it prints from there.
    const session = await context.cookies();
    await context.close();

    const laptop = await desktop(browser, "en-US", 1366, 900);
    await laptop.addCookies(session);
    const page = await laptop.newPage();
    const problems = watchForProblems(page);
    await page.goto(`${origin}/console/poster/${shop.shop.id}/${shop.upcoming.id}`);
    await byTestId(page, "poster-sheet").waitFor({ timeout: 10_000 });
    await page.selectOption('[data-testid="poster-referral"]', "store-42");
    const link = `${origin}/r/${shop.upcoming.id}?ref=store-42`;
    for (const paper of ["A4", "A5"] as const) {
      await byTestId(page, `poster-paper-${paper}`).check();
      // Printed: only the sheet, at the paper's size.
      await page.emulateMedia({ media: "print" });
      const sizeMm = paper === "A4" ? [210, 297] : [148, 210];
      await page.setViewportSize({ width: Math.round((sizeMm[0]! / 25.4) * 96), height: Math.round((sizeMm[1]! / 25.4) * 96) });
      const sheet = await byTestId(page, "poster-sheet").boundingBox();
      expect(Math.abs(sheet!.width - (sizeMm[0]! / 25.4) * 96)).toBeLessThan(2);
      expect(Math.abs(sheet!.height - (sizeMm[1]! / 25.4) * 96)).toBeLessThan(2);
      expect(await page.locator(".poster-screen").isVisible()).toBe(false);
      await page.screenshot({ path: `e2e/.artifacts/shop-page-poster-print-${paper}.png` });
      // The QR code as printed, read by a phone's camera would.
      const qr = await page.locator(".poster-qr").boundingBox();
      const printedQr = await page.screenshot({ clip: { x: qr!.x - 8, y: qr!.y - 8, width: qr!.width + 16, height: qr!.height + 16 } });
      expect(qr!.width).toBeGreaterThan(paper === "A4" ? 300 : 210);
      expect(await readQr(printedQr)).toBe(link);
      const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      expect(pdf.count).toBe(1);
      // Points: A4 is 595 × 842, A5 420 × 595.
      expect([Math.round(pdf.width), Math.round(pdf.height)]).toEqual(paper === "A4" ? [595, 842] : [420, 595]);
      await page.emulateMedia({ media: "screen" });
      await page.setViewportSize({ width: 1366, height: 900 });
    }
    expect(problems).toEqual([]);
    await laptop.close();

    // In Chinese, on a laptop.
    const zhContext = await desktop(browser, "zh-CN", 1366, 900);
    await zhContext.addCookies(session);
    const zh = await zhContext.newPage();
    await zh.goto(`${origin}/console/poster/${shop.shop.id}/${shop.upcoming.id}`);
    await byTestId(zh, "poster-sheet").waitFor({ timeout: 10_000 });
    expect(await byTestId(zh, "poster-print").textContent()).toBe("打印");
    await shot(zh, "poster-screen-1366-zh-CN");
    await zh.context().close();
  });
});
