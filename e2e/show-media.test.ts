/**
 * The show's page as the team dresses it, from the console on a phone: the
 * owner gives a show a cover photo (from the file input, as a camera or
 * gallery hands it over) and a trailer video; a host sets her own name and
 * photo in her profile card; a viewer then sees all of it on the show's page.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, fitsWidth, launchBrowser, phone, PNG } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots/pre-live";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** A fetch from the page, with its cookie: what the console itself would send. */
const fromPage = (page: Page, path: string, init: { method?: string; json?: unknown; key?: string } = {}) =>
  page.evaluate(
    async ({ path, init }) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (init.key) headers.authorization = `Bearer ${init.key}`;
      const res = await fetch(path, { method: init.method ?? "POST", headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    { path, init },
  );

/** A short WebM, recorded by Chromium from a canvas: what a phone's camera roll would hold. */
const recordWebm = (page: Page) =>
  page.evaluate(async () => {
    const canvas = Object.assign(document.createElement("canvas"), { width: 240, height: 320 });
    const paint = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const done = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    for (let frame = 0; frame < 30; frame++) {
      paint.fillStyle = `hsl(${200 + frame * 4}, 70%, 50%)`;
      paint.fillRect(0, 0, 240, 320);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    recorder.stop();
    await done;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });

describe("dressing the show's page from the console", () => {
  it("the owner uploads a cover photo and a trailer, a host sets her name and photo, and viewers see them", async () => {
    // The owner, signed in on her phone (her shop claimed by this browser, as the landing page does).
    const owner = await (await phone(browser)).newPage();
    await owner.goto(`${origin}/console`);
    const made = await fromPage(owner, "/api/shops", { json: { name: "Lumen Ceramics", currency: "EUR" } });
    await fromPage(owner, "/api/auth/claim", { json: {}, key: made.apiKey });
    const shopId: string = made.shop.id;
    const product = (await fromPage(owner, `/api/shops/${shopId}/products`, { json: { title: "Speckled mug", priceCents: 2800 } })).product;
    const startsAt = new Date(Date.now() + 26 * 3600_000).toISOString();
    const { room } = await fromPage(owner, `/api/shops/${shopId}/rooms`, { json: { title: "Kiln opening", startsAt, products: [{ productId: product.id, stock: 6 }] } });

    // A host joins from her own phone and sets her profile: a name and a photo.
    const { link } = await fromPage(owner, `/api/shops/${shopId}/team/invites`, { json: { role: "host" } });
    const host = await (await phone(browser, "zh-CN")).newPage();
    await host.goto(`${origin}/console`);
    const { accountId } = await fromPage(host, `/api/shops/${shopId}/team/invites/accept`, { json: { token: /\.(iv_\w+)$/.exec(link)![1], displayName: "mei" } });
    await fromPage(owner, `/api/shops/${shopId}/team/shows/${room.id}/hosts`, { json: { accountId } });
    await host.reload();
    const card = byTestId(host, "profile-card");
    await card.waitFor({ timeout: 10_000 });
    await byTestId(host, "profile-name").fill("Mei Lin");
    await byTestId(host, "profile-save").click();
    await byTestId(host, "profile-saved").waitFor();
    await byTestId(host, "profile-photo-input").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
    await expect.poll(() => byTestId(host, "profile-photo").getAttribute("src"), { timeout: 10_000 }).toMatch(/^\/photos\/profiles\/ph_\w+\.(webp|jpg)$/);
    await card.screenshot({ path: `${SHOTS}/console-profile-phone-zh.png` });
    expect(await fitsWidth(host)).toBe(true);

    // The owner edits the show: a cover from the camera roll, and a trailer.
    await owner.reload();
    await byTestId(owner, "section-shows").click();
    await byTestId(owner, "show-edit").click();
    await byTestId(owner, "show-form-cover-photo").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: PNG });
    await expect.poll(() => byTestId(owner, "show-form-cover-preview").getAttribute("src"), { timeout: 10_000 }).toMatch(/^blob:/);
    const webm = Buffer.from(await recordWebm(owner), "base64");
    await byTestId(owner, "show-form-trailer").setInputFiles({ name: "trailer.webm", mimeType: "video/webm", buffer: webm });
    expect(await byTestId(owner, "show-form-trailer-name").textContent()).toContain("trailer.webm");
    await owner.screenshot({ path: `${SHOTS}/console-show-media-phone-en.png`, fullPage: true });
    expect(await fitsWidth(owner)).toBe(true);
    await byTestId(owner, "show-form-save").click();
    await expect.poll(() => byTestId(owner, "show-form").count(), { timeout: 20_000 }).toBe(0);

    // A too-large or wrong trailer is refused in the form, before anything is sent.
    await byTestId(owner, "show-edit").click();
    await byTestId(owner, "show-form-trailer").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a video") });
    await byTestId(owner, "show-form-save").click();
    expect(await byTestId(owner, "show-form-problem").textContent()).toContain("MP4 or WebM");

    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(`${origin}/r/${room.id}`);
    const trailer = byTestId(viewer, "prelive-trailer");
    await trailer.waitFor({ timeout: 15_000 });
    expect(await trailer.getAttribute("poster")).toMatch(new RegExp(`^/photos/${room.id}/cv_\\w+\\.(webp|jpg)$`));
    await expect.poll(() => trailer.evaluate((v: HTMLVideoElement) => v.muted && !v.paused && v.currentTime > 0), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => byTestId(viewer, "prelive-host").textContent()).toBe("Mei Lin");
    expect(await byTestId(viewer, "prelive-host").locator("img").getAttribute("src")).toMatch(/^\/photos\/profiles\//);
    for (const page of [owner, host, viewer]) await page.context().close();
  });
});
