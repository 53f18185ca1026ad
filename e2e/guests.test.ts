/**
 * Guests the host removes stay removed, and a guest link the host replaces
 * stops working at once (issue 8, defect 8), in real Chromium with its fake
 * camera through the local SFU.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

async function open(kind: typeof phone, url: string): Promise<Page> {
  const context = await kind(browser);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const previewReady = (page: Page) =>
  expect
    .poll(() => page.evaluate(() => document.querySelector<HTMLVideoElement>("[data-testid=camera-preview]")?.videoWidth ?? 0), { timeout: 15_000 })
    .toBeGreaterThan(0);

async function guestOnStage(url: string, host: Page) {
  const guest = await open(phone, url);
  await previewReady(guest);
  await byTestId(guest, "join-stage").click();
  await guest.locator("[data-testid=guest-panel][data-state=on]").waitFor({ timeout: 15_000 });
  await expect.poll(() => host.locator("[data-testid=stage-entry][data-role=guest]").count(), { timeout: 10_000 }).toBe(1);
  return guest;
}

describe("guests", () => {
  it("a removed guest who reloads stays off the stage; a new guest link ends the old one", async () => {
    const show = await createShow(origin);
    const host = await open(desktop, show.links.host);
    await previewReady(host);
    await byTestId(host, "go-live").click();
    await expect.poll(() => byTestId(host, "show-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("live");

    // Removed, then reloaded: the same browser cannot join again.
    const guest = await guestOnStage(show.links.guest, host);
    await host.locator("[data-testid=stage-entry][data-role=guest] [data-testid=remove-from-stage]").click();
    await expect.poll(() => host.locator("[data-testid=stage-entry][data-role=guest]").count(), { timeout: 5000 }).toBe(0);
    await guest.reload();
    await previewReady(guest);
    const join = byTestId(guest, "join-stage");
    if (await join.count()) await join.click();
    await expect
      .poll(() => guest.evaluate(() => document.querySelector("[data-testid=camera-problem]")?.getAttribute("data-problem") ?? null), { timeout: 10_000 })
      .toBe("removed");
    await guest.waitForTimeout(1500);
    expect(await host.locator("[data-testid=stage-entry][data-role=guest]").count()).toBe(0);

    // Someone else on the same link, then the host replaces it: they leave, and the old link opens nothing.
    const second = await guestOnStage(show.links.guest, host);
    await byTestId(host, "guest-link-replace").click();
    await byTestId(host, "guest-link-confirm").click();
    await byTestId(host, "guest-link-replaced").waitFor({ timeout: 5000 });
    const newLink = await byTestId(host, "guest-invite-link").textContent();
    expect(newLink).not.toBe(show.links.guest);
    await expect.poll(() => host.locator("[data-testid=stage-entry][data-role=guest]").count(), { timeout: 5000 }).toBe(0);
    await byTestId(second, "key-rejected").waitFor({ timeout: 10_000 });
    await host.screenshot({ path: "/tmp/shots/guest-link-replaced-studio.png" });

    // The new link works.
    const invited = await guestOnStage(newLink!, host);
    expect(await byTestId(invited, "key-rejected").count()).toBe(0);
  });
});
