/**
 * The catalogue in a browser: a brand makes a show on / with a product whose
 * photo comes from a file input (a real PNG made here) and two sizes; a
 * viewer sees the photo, picks a size in the checkout and buys it; the other
 * size's units do not move, and the size that sold out is marked so.
 */
import { deflateSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "../scripts/stack.ts";
import { byTestId, checkout, desktop, fitsWidth, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real PNG, `width` × `height`: a blue-to-orange gradient with a white stripe, so a resize is visible. */
function gradientPng(width: number, height: number): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const stripe = Math.abs(y - height / 2) < height / 12;
      const at = row + 1 + x * 3;
      rows[at] = stripe ? 255 : Math.round((255 * x) / width);
      rows[at + 1] = stripe ? 255 : 120;
      rows[at + 2] = stripe ? 255 : Math.round(255 - (255 * x) / width);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** Fills the landing form: one product, a photo from the file input, sizes S and M with their units. */
async function makeShow(page: Page, units: { S: number; M: number }) {
  await page.goto(`${origin}/`);
  await byTestId(page, "shop-name").fill("Linen & Loom");
  await byTestId(page, "show-title").fill("Summer shirts, live");
  await byTestId(page, "product-title-0").fill("Linen shirt");
  await byTestId(page, "product-price-0").fill("45");
  // A 2400 × 1200 photo, as a phone's camera would give: the page sends it at 1600 px on its longest side.
  await byTestId(page, "product-photo-0").setInputFiles({ name: "shirt.png", mimeType: "image/png", buffer: gradientPng(2400, 1200) });
  const preview = byTestId(page, "product-photo-preview-0");
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(1600);
  await byTestId(page, "product-add-variants-0").click();
  await byTestId(page, "product-option-name-0-0").fill("Size");
  await byTestId(page, "product-option-values-0-0").fill("S, M");
  await byTestId(page, "product-variant-stock-0-0").fill(String(units.S));
  await byTestId(page, "product-variant-stock-0-1").fill(String(units.M));
}

async function createAndOpen(page: Page) {
  await byTestId(page, "create-show").click();
  const viewerLink = byTestId(page, "viewer-link");
  await expect.poll(() => viewerLink.textContent(), { timeout: 20_000 }).toMatch(/\/r\/r_[0-9A-Za-z]{16}$/);
  const viewerUrl = (await viewerLink.textContent())!.trim();
  const hostKey = new URL((await byTestId(page, "host-link").textContent())!.trim()).hash.slice("#key=".length);
  const hostUrl = (await byTestId(page, "host-link").textContent())!.trim();
  const roomId = viewerUrl.split("/r/")[1]!;
  const { room } = await api(origin, `/api/rooms/${roomId}`);
  const product = room.products[0];
  await api(origin, `/api/rooms/${roomId}/pin`, { productId: product.id }, hostKey);
  return { viewerUrl, hostUrl, roomId, product };
}

const variantsLeft = async (roomId: string) =>
  Object.fromEntries((await api(origin, `/api/rooms/${roomId}`)).room.products[0].variants.map((v: { options: string[]; left: number }) => [v.options[0], v.left]));

const chip = (page: Page, value: string) => page.locator(`[data-testid=variant-chip][data-value="${value}"]`);

describe("a catalogue product with a photo and sizes", () => {
  it("is made on / with a photo from a file and two sizes; a viewer sees the photo, picks a size and buys it", async () => {
    const brand = await (await phone(browser)).newPage();
    await makeShow(brand, { S: 3, M: 1 });
    expect(await fitsWidth(brand)).toBe(true);
    await byTestId(brand, "product-variants-0").scrollIntoViewIfNeeded();
    await brand.screenshot({ path: "/tmp/shots/catalogue-form-phone-en.png", fullPage: true });
    const { viewerUrl, hostUrl, roomId, product } = await createAndOpen(brand);

    // The photo went up resized and is what the show's product shows.
    expect(product.photos).toEqual([{ url: expect.stringMatching(/^\/photos\/p_[0-9A-Za-z]{16}\/ph_[0-9A-Za-z]{16}\.(webp|jpg)$/), width: 1600, height: 800 }]);
    expect(product.imageUrl).toBe(product.photos[0].url);
    expect(await variantsLeft(roomId)).toEqual({ S: 3, M: 1 });

    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(viewerUrl);
    await online(viewer);
    const pinnedPhoto = byTestId(viewer, "pinned-product").locator("img");
    await expect.poll(() => pinnedPhoto.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(1600);
    expect(await pinnedPhoto.getAttribute("src")).toBe(product.photos[0].url);

    await byTestId(viewer, "buy-now").click();
    await byTestId(viewer, "checkout-sheet").waitFor({ timeout: 10_000 });
    expect(await chip(viewer, "S").getAttribute("data-sold-out")).toBeNull();
    // Nothing chosen yet: the sheet asks for a size rather than sending an order the room would refuse.
    await byTestId(viewer, "checkout-name").fill("Mei Lin");
    await byTestId(viewer, "checkout-email").fill("mei@example.com");
    await byTestId(viewer, "checkout-pickup").click();
    await byTestId(viewer, "checkout-submit").click();
    await expect.poll(() => byTestId(viewer, "checkout-error").getAttribute("data-code")).toBe("choose_variant");
    await chip(viewer, "M").click();
    await expect.poll(() => byTestId(viewer, "checkout-left").getAttribute("data-left")).toBe("1");
    expect(await fitsWidth(viewer)).toBe(true);
    await viewer.screenshot({ path: "/tmp/shots/catalogue-checkout-phone-en.png" });
    await checkout(viewer, { name: "Mei Lin", email: "mei@example.com" });
    await byTestId(viewer, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(viewer, "order-item").textContent()).toContain("Linen shirt (M)");

    // M is gone, S is untouched; a viewer who opens the checkout now sees M marked sold out.
    expect(await variantsLeft(roomId)).toEqual({ S: 3, M: 0 });
    await viewer.keyboard.press("Escape");
    await byTestId(viewer, "buy-now").click();
    await byTestId(viewer, "checkout-sheet").waitFor({ timeout: 10_000 });
    await expect.poll(() => chip(viewer, "M").getAttribute("data-sold-out")).toBe("true");
    expect(await chip(viewer, "M").locator("input").isDisabled()).toBe(true);
    expect(await chip(viewer, "S").locator("input").isDisabled()).toBe(false);
    await viewer.screenshot({ path: "/tmp/shots/catalogue-sold-out-phone-en.png" });

    // The host's order list says which size to hand over.
    const studio = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await studio.goto(hostUrl);
    const row = byTestId(studio, "studio-order").first();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain("Linen shirt (M) × 1");
    await studio.context().close();

    await brand.context().close();
    await viewer.context().close();
  });

  it("reads in Chinese, and fits a 320 px phone and a desktop", async () => {
    const brand = await (await phone(browser, "zh-CN", 320)).newPage();
    await makeShow(brand, { S: 2, M: 2 });
    expect(await fitsWidth(brand)).toBe(true);
    expect(await byTestId(brand, "product-add-variants-0").count()).toBe(0);
    expect(await byTestId(brand, "product-variants-0").textContent()).toContain("尺码 / 颜色");
    await byTestId(brand, "product-variants-0").scrollIntoViewIfNeeded();
    await brand.screenshot({ path: "/tmp/shots/catalogue-form-phone-320-zh.png" });
    const { viewerUrl } = await createAndOpen(brand);

    for (const [context, name] of [
      [await phone(browser, "zh-CN"), "phone-zh"],
      [await phone(browser, "zh-CN", 320), "phone-320-zh"],
      [await desktop(browser, "zh-CN", 1366, 900), "desktop-zh"],
      [await desktop(browser, "en-US", 1366, 900), "desktop-en"],
    ] as const) {
      const viewer = await context.newPage();
      await viewer.goto(viewerUrl);
      await online(viewer);
      await byTestId(viewer, "buy-now").click();
      await byTestId(viewer, "checkout-sheet").waitFor({ timeout: 10_000 });
      await chip(viewer, "S").click();
      await expect.poll(() => byTestId(viewer, "checkout-left").getAttribute("data-left")).toBe("2");
      expect(await fitsWidth(viewer)).toBe(true);
      // The option's name and values are the brand's words; the sheet's own are in the visitor's language.
      if (name.endsWith("zh")) expect(await byTestId(viewer, "checkout-sheet").textContent()).toMatch(/Size.*S.*M.*数量/);
      await viewer.screenshot({ path: `/tmp/shots/catalogue-checkout-${name}.png` });
      await context.close();
    }
    await brand.context().close();
  });

  it("shows a product's photos in a gallery in the product sheet, loaded when it opens", async () => {
    const { shop, apiKey } = await api(origin, "/api/shops", { name: "Linen & Loom", currency: "EUR" });
    const { product } = await api(origin, `/api/shops/${shop.id}/products`, { title: "Linen shirt", priceCents: 4500 }, apiKey);
    for (const [width, height] of [[800, 600], [600, 800]] as const) {
      const res = await fetch(`${origin}/api/shops/${shop.id}/products/${product.id}/photos`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "image/png" },
        body: new Uint8Array(gradientPng(width, height)),
      });
      expect(res.status).toBe(201);
    }
    const { room } = await api(origin, `/api/shops/${shop.id}/rooms`, { title: "Two photos", products: [{ productId: product.id, stock: 4 }] }, apiKey);
    for (const [context, name] of [[await phone(browser), "phone-en"], [await desktop(browser, "en-US", 1366, 900), "desktop-en"]] as const) {
      const viewer = await context.newPage();
      await viewer.goto(`${origin}/r/${room.id}`);
      await online(viewer);
      // Before the tap, the page has asked for none of the gallery's photos.
      expect(await viewer.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.includes("/photos/")).length)).toBe(0);
      await byTestId(viewer, "products-button").click();
      const photos = byTestId(viewer, "gallery-photo");
      await expect.poll(() => photos.count(), { timeout: 10_000 }).toBe(2);
      await expect.poll(() => photos.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(800);
      expect(await fitsWidth(viewer)).toBe(true);
      await viewer.screenshot({ path: `/tmp/shots/catalogue-gallery-${name}.png` });
      await context.close();
    }
  });

  it("a flash deal on one size: the card says which, and the checkout charges the deal price for that size only", async () => {
    const { shop, apiKey } = await api(origin, "/api/shops", { name: "Linen & Loom", currency: "USD" });
    const products = `/api/shops/${shop.id}/products`;
    const { product } = await api(origin, products, { title: "Linen shirt", priceCents: 4500, optionNames: ["Size"] }, apiKey);
    const small = (await api(origin, `${products}/${product.id}/variants`, { options: ["S"] }, apiKey)).variant;
    const medium = (await api(origin, `${products}/${product.id}/variants`, { options: ["M"] }, apiKey)).variant;
    const { room } = await api(origin, `/api/shops/${shop.id}/rooms`, {
      title: "Deal on M",
      variants: [{ variantId: small.id, stock: 3 }, { variantId: medium.id, stock: 3 }],
    }, apiKey);
    await api(origin, `/api/rooms/${room.id}/status`, { status: "live" }, apiKey);
    await api(origin, `/api/rooms/${room.id}/pin`, { productId: product.id }, apiKey);
    await api(origin, `/api/rooms/${room.id}/deals`, { productId: product.id, variantId: medium.id, priceCents: 3000, durationSeconds: 300 }, apiKey);

    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(`${origin}/r/${room.id}`);
    await online(viewer);
    await expect.poll(() => byTestId(viewer, "pinned-product").textContent()).toMatch(/\$30\.00.*\$45\.00.*M/);
    await byTestId(viewer, "buy-now").click();
    await byTestId(viewer, "checkout-sheet").waitFor({ timeout: 10_000 });
    await chip(viewer, "S").click();
    await expect.poll(() => byTestId(viewer, "checkout-total").textContent()).toBe("$45.00");
    await chip(viewer, "M").click();
    await expect.poll(() => byTestId(viewer, "checkout-total").textContent()).toBe("$30.00");
    await viewer.screenshot({ path: "/tmp/shots/catalogue-variant-deal-phone-en.png" });
    await checkout(viewer, { name: "Mei Lin", email: "mei@example.com" });
    await byTestId(viewer, "order-confirmation").waitFor({ timeout: 10_000 });
    expect(await byTestId(viewer, "order-total").textContent()).toBe("$30.00");
    await viewer.context().close();
  });
});
