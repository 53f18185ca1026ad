import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, hostKeyOf, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const online = (page: Page) =>
  expect.poll(() => byTestId(page, "connection-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("online");

describe("a ban from the studio", () => {
  it("outlasts the viewer's reload: they still see the show, but cannot chat until unbanned", async () => {
    const show = await createShow(origin);
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
    const host = await (await desktop(browser)).newPage();
    await host.goto(show.links.host);
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer);
    await online(host);
    await online(viewer);

    await byTestId(viewer, "chat-name").fill("Troll");
    await byTestId(viewer, "chat-input").fill("cheap followers at spam.example");
    await byTestId(viewer, "chat-input").press("Enter");
    const message = host.locator("[data-testid=chat-message]", { hasText: "cheap followers" });
    await expect.poll(() => message.count(), { timeout: 2000 }).toBe(1);
    await message.locator("[data-testid=ban-viewer]").click();
    await expect.poll(() => message.locator("[data-testid=restricted-tag]").getAttribute("data-kind"), { timeout: 2000 }).toBe("ban");
    await expect.poll(() => byTestId(host, "kept-out-entry").textContent()).toContain("Troll");

    // The viewer is told at once, and the input closes.
    await expect.poll(() => byTestId(viewer, "chat-notice").textContent(), { timeout: 2000 }).toContain("closed the chat");
    expect(await byTestId(viewer, "chat-input").isDisabled()).toBe(true);

    // A reload is the same browser (its viewer token): still banned, still watching.
    await viewer.reload();
    await online(viewer);
    await expect.poll(() => byTestId(viewer, "stage").getAttribute("data-state")).toBe("live");
    expect(await viewer.title()).toContain("Spring tasting");
    await expect.poll(() => byTestId(viewer, "chat-notice").textContent()).toContain("still watch");
    expect(await byTestId(viewer, "chat-input").isDisabled()).toBe(true);
    expect(await byTestId(viewer, "chat-send").isDisabled()).toBe(true);
    // Others' messages still reach them.
    await byTestId(host, "chat-input").fill("Welcome, everyone!");
    await byTestId(host, "chat-input").press("Enter");
    await expect.poll(() => viewer.locator("[data-testid=chat-message]", { hasText: "Welcome, everyone!" }).count(), { timeout: 2000 }).toBe(1);
    // Buying is not chatting: the product sheet and Buy now are still there.
    await byTestId(viewer, "products-button").click();
    await expect.poll(() => byTestId(viewer, "product-buy").count()).toBe(2);
    expect(await byTestId(viewer, "product-buy").first().isEnabled()).toBe(true);
    await viewer.keyboard.press("Escape");

    // Unbanned from the studio's list: the input opens again.
    await byTestId(host, "kept-out-unban").click();
    await expect.poll(() => byTestId(viewer, "chat-notice").count(), { timeout: 2000 }).toBe(0);
    expect(await byTestId(viewer, "chat-input").isDisabled()).toBe(false);
    await host.context().close();
    await viewer.context().close();
  });
});
