import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, launchBrowser, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const online = (page: Page) =>
  expect.poll(() => byTestId(page, "connection-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("online");

async function openHostAndViewer() {
  const show = await createShow(origin, 3);
  const host = await (await desktop(browser)).newPage();
  await host.goto(show.links.host);
  const viewer = await (await phone(browser)).newPage();
  await viewer.goto(show.links.viewer);
  await online(host);
  await online(viewer);
  return { show, host, viewer };
}

describe("the host and a viewer in the same show", () => {
  it("a pin from the studio reaches the viewer, with title, price and units left", async () => {
    const { show, host, viewer } = await openHostAndViewer();
    expect(await byTestId(viewer, "pinned-product").count()).toBe(0);
    const row = host.locator(`[data-testid=studio-product][data-product-id="${show.products[1].id}"]`);
    await row.locator("[data-testid=pin-button]").click();
    const card = byTestId(viewer, "pinned-product");
    await expect.poll(() => card.getAttribute("data-product-id"), { timeout: 1500 }).toBe(show.products[1].id);
    expect(await byTestId(viewer, "pinned-title").textContent()).toContain("Gaiwan set");
    expect(await byTestId(viewer, "pinned-price").textContent()).toContain("45.00");
    expect(await byTestId(viewer, "pinned-left").textContent()).toContain("3");
    await expect.poll(() => row.getAttribute("data-pinned")).toBe("true");

    await row.locator("[data-testid=unpin-button]").click();
    await expect.poll(() => byTestId(viewer, "pinned-product").count(), { timeout: 1500 }).toBe(0);

    // The studio can invite a guest at any time: the guest link is rebuilt from the host key.
    await expect.poll(() => byTestId(host, "guest-invite-link").textContent()).toBe(show.links.guest);
    await host.context().close();
    await viewer.context().close();
  });

  it("chat goes both ways, renders as text, and the host can delete a message", async () => {
    const { host, viewer } = await openHostAndViewer();
    await byTestId(viewer, "chat-name").fill("Ana");
    await byTestId(viewer, "chat-input").fill("Does the gaiwan come in blue? <script>alert(1)</script>");
    await byTestId(viewer, "chat-input").press("Enter");
    const fromViewer = host.locator("[data-testid=chat-message]", { hasText: "come in blue" });
    await expect.poll(() => fromViewer.count(), { timeout: 2000 }).toBe(1);
    expect(await fromViewer.textContent()).toContain("<script>alert(1)</script>");
    expect(await fromViewer.textContent()).toContain("Ana");
    expect(await host.locator("[data-testid=chat-list] script").count()).toBe(0);

    await byTestId(host, "chat-input").fill("Yes! Blue and white.");
    await byTestId(host, "chat-input").press("Enter");
    const fromHost = viewer.locator("[data-testid=chat-message]", { hasText: "Blue and white" });
    await expect.poll(() => fromHost.count(), { timeout: 2000 }).toBe(1);
    expect(await fromHost.getAttribute("data-role")).toBe("host");

    await fromViewer.locator("[data-testid=delete-message]").click();
    await expect.poll(() => viewer.locator("[data-testid=chat-message]", { hasText: "come in blue" }).count(), { timeout: 2000 }).toBe(0);
    await host.context().close();
    await viewer.context().close();
  });

  it("going live and ending the show change the viewer's stage; viewers and hearts are counted", async () => {
    const { host, viewer } = await openHostAndViewer();
    await expect.poll(() => byTestId(viewer, "stage").getAttribute("data-state")).toBe("scheduled");
    await expect.poll(() => byTestId(host, "viewer-count").textContent(), { timeout: 3000 }).toContain("1");

    await byTestId(host, "go-live").click();
    await expect.poll(() => byTestId(viewer, "stage").getAttribute("data-state"), { timeout: 1500 }).toBe("live");
    await expect.poll(() => byTestId(host, "show-status").getAttribute("data-state")).toBe("live");

    for (let i = 0; i < 3; i++) await byTestId(viewer, "react-button").click();
    await expect.poll(() => byTestId(viewer, "reaction").count(), { timeout: 2000 }).toBeGreaterThan(0);
    await expect.poll(() => byTestId(host, "reaction-count").textContent(), { timeout: 3000 }).toContain("3");

    host.once("dialog", (dialog) => dialog.accept());
    await byTestId(host, "end-show").click();
    await expect.poll(() => byTestId(viewer, "stage").getAttribute("data-state"), { timeout: 1500 }).toBe("ended");
    await host.context().close();
    await viewer.context().close();
  });

  it("a viewer's page has no host powers, and a wrong host key is told so", async () => {
    const show = await createShow(origin);
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer);
    await online(viewer);
    expect(await byTestId(viewer, "pin-button").count()).toBe(0);
    expect(await byTestId(viewer, "delete-message").count()).toBe(0);

    const impostor = await (await desktop(browser)).newPage();
    await impostor.goto(`${origin}/studio/${show.room.id}#key=hk_not-the-real-key`);
    await expect.poll(() => byTestId(impostor, "studio-error").count(), { timeout: 10_000 }).toBe(1);
    const state = await show.api(`/api/rooms/${show.room.id}`);
    expect(state.room.status).toBe("scheduled");
    await viewer.context().close();
    await impostor.context().close();
  });

  it("a viewer joins in one request, with no ticket, and is the same viewer after a reload", async () => {
    const show = await createShow(origin, 3);
    const page = await (await phone(browser)).newPage();
    const asked: string[] = [];
    page.on("request", (request) => asked.push(`${request.method()} ${new URL(request.url()).pathname}`));
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(new URL(socket.url()).pathname));
    await page.goto(show.links.viewer);
    await online(page);
    expect(sockets).toEqual([`/parties/room/${show.room.id}`]);
    expect(asked.filter((call) => call.endsWith("/tickets"))).toEqual([]);
    // The identity the room issued with the socket's first frame is kept, and presented again after a reload.
    const token = () => page.evaluate(() => localStorage.getItem("shop-along:viewer"));
    await expect.poll(token).toMatch(/^vt_v_[0-9A-Za-z]{16}\.[0-9a-f]{32}$/);
    const first = await token();
    await page.reload();
    await online(page);
    expect(await token()).toBe(first);
    expect(asked.filter((call) => call.endsWith("/tickets"))).toEqual([]);
    await page.context().close();
  });

  it("an unknown show says so", async () => {
    const page = await (await phone(browser)).newPage();
    await page.goto(`${origin}/r/r_0000000000000000`);
    await expect.poll(() => byTestId(page, "not-found").count(), { timeout: 10_000 }).toBe(1);
    await page.context().close();
  });
});
