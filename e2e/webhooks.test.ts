/**
 * Webhooks as a brand meets them, on the real stack (wrangler dev, its local
 * webhook queue): a plain node receiver on a loopback port refuses (500) for
 * a while, then accepts. The owner adds the endpoint in the console (the
 * secret shown once); the show goes live, a viewer buys on her phone, the
 * show ends; once the receiver is back it has every event, each signature
 * verifying with `standardwebhooks`; the console's log shows the failed and
 * then the delivered attempts; a redelivery from the console arrives with
 * the same webhook-id.
 */
import { mkdirSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, checkout, createShow, desktop, fitsWidth, hostKeyOf, launchBrowser, online, phone } from "./browser.ts";

const origin = inject("origin");
const SHOTS = "/tmp/shots";
let browser: Browser;
let receiver: Server;
let receiverUrl: string;
let down = true;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let refused = 0;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (down) {
        refused++;
        res.writeHead(500, { "Content-Type": "text/plain" }).end("receiver restarting");
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/shop-along`;
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  receiver?.close();
});

const types = () => received.map((r) => JSON.parse(r.body).type as string);

describe("webhooks from the console", () => {
  it("a receiver down for a while gets every event of the show afterwards, signed; the log shows it; redeliver", async () => {
    const show = await createShow(origin, 5, { recording: false });
    const [jasmine] = show.products;

    const ownerContext = await desktop(browser, "en-US", 1366, 900);
    contexts.push(ownerContext);
    const owner = await ownerContext.newPage();
    await owner.goto(`${origin}/console`);
    const claimed = await owner.evaluate(
      (apiKey) => fetch("/api/auth/claim", { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: "{}" }).then((r) => r.status),
      show.apiKey,
    );
    expect(claimed).toBe(201);
    await owner.reload();
    await byTestId(owner, "section-webhooks").click({ timeout: 10_000 });
    await byTestId(owner, "webhook-url").fill(receiverUrl);
    await byTestId(owner, "webhook-description").fill("Our order system");
    for (const type of ["show.started", "show.ended"]) await byTestId(owner, `webhook-event-${type}`).check();
    await byTestId(owner, "webhook-add").click();
    const secret = (await byTestId(owner, "webhook-secret-value").textContent({ timeout: 10_000 }))!;
    expect(secret).toMatch(/^whsec_/);
    await owner.screenshot({ path: `${SHOTS}/webhooks-secret-desktop-en.png`, fullPage: true });
    await owner.getByRole("button", { name: "I saved it" }).click();
    expect(await byTestId(owner, "webhook-secret").count()).toBe(0);

    // The show: live, a viewer buys on her phone, ended. The receiver is down all along.
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, hostKeyOf(show));
    await show.api(`/api/rooms/${show.room.id}/pin`, { productId: jasmine.id }, hostKeyOf(show));
    const viewerContext = await phone(browser);
    contexts.push(viewerContext);
    const viewer = await viewerContext.newPage();
    await viewer.goto(show.links.viewer);
    await online(viewer);
    await byTestId(viewer, "buy-now").click();
    await checkout(viewer, { name: "Mei Lin", email: "mei@example.com" });
    const orderId = (await byTestId(viewer, "order-confirmation").getAttribute("data-order-id", { timeout: 10_000 }))!;
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "ended" }, hostKeyOf(show));

    // The console's log fills with failed attempts while the receiver refuses.
    await byTestId(owner, "webhook-log-toggle").click();
    await expect.poll(() => owner.locator('[data-testid=webhook-attempt][data-ok="false"]').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await owner.screenshot({ path: `${SHOTS}/webhooks-failing-desktop-en.png`, fullPage: true });
    expect(received).toHaveLength(0);

    down = false;
    await expect.poll(() => types(), { timeout: 60_000, interval: 500 }).toEqual(["show.started", "order.created", "order.paid", "show.ended"]);
    const wh = new Webhook(secret);
    for (const r of received) {
      const event = wh.verify(r.body, r.headers as Record<string, string>) as { type: string; data: any };
      if (event.type.startsWith("order.")) expect(event.data.order).toMatchObject({ id: orderId, roomId: show.room.id });
      else expect(event.data).toMatchObject({ roomId: show.room.id });
    }
    expect(refused).toBeGreaterThanOrEqual(2);

    // The log: every delivery delivered, the first after failed attempts.
    await expect.poll(() => owner.locator('[data-testid=webhook-delivery][data-status="delivered"]').count(), { timeout: 10_000 }).toBe(4);
    const started = owner.locator('[data-testid=webhook-delivery][data-event="show.started"]');
    expect(await started.locator('[data-testid=webhook-attempt][data-ok="false"]').count()).toBeGreaterThanOrEqual(1);
    expect(await started.locator('[data-testid=webhook-attempt][data-ok="true"]').count()).toBe(1);
    expect(await started.textContent()).toMatch(/500.*ms/);
    await owner.screenshot({ path: `${SHOTS}/webhooks-log-desktop-en.png`, fullPage: true });

    // Redeliver show.started from the console: the same webhook-id, signed afresh.
    const firstId = received[0]!.headers["webhook-id"];
    await started.locator("[data-testid=webhook-redeliver]").click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(5);
    expect(received[4]!.headers["webhook-id"]).toBe(firstId);
    expect(wh.verify(received[4]!.body, received[4]!.headers as Record<string, string>)).toMatchObject({ type: "show.started" });

    // The same console on a phone, in Chinese (and at 320 px nothing is wider than the screen).
    for (const width of [390, 320]) {
      const zh = await phone(browser, "zh-CN", width);
      contexts.push(zh);
      await zh.addCookies(await ownerContext.cookies());
      const page = await zh.newPage();
      await page.goto(`${origin}/console`);
      await byTestId(page, "section-webhooks").click({ timeout: 10_000 });
      await byTestId(page, "webhook-log-toggle").click();
      await expect.poll(() => page.locator("[data-testid=webhook-delivery]").count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
      expect(await page.locator("[data-testid=webhook-log]").textContent()).toContain("已送达");
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/webhooks-log-phone-${width}-zh.png`, fullPage: true });
    }
    const en = await phone(browser, "en-US");
    contexts.push(en);
    await en.addCookies(await ownerContext.cookies());
    const enPage = await en.newPage();
    await enPage.goto(`${origin}/console`);
    await byTestId(enPage, "section-webhooks").click({ timeout: 10_000 });
    await byTestId(enPage, "webhook-endpoint").waitFor({ timeout: 10_000 });
    expect(await fitsWidth(enPage)).toBe(true);
    await enPage.screenshot({ path: `${SHOTS}/webhooks-phone-en.png`, fullPage: true });
    const zhDesktop = await desktop(browser, "zh-CN", 1366, 900);
    contexts.push(zhDesktop);
    await zhDesktop.addCookies(await ownerContext.cookies());
    const zhPage = await zhDesktop.newPage();
    await zhPage.goto(`${origin}/console`);
    await byTestId(zhPage, "section-webhooks").click({ timeout: 10_000 });
    await byTestId(zhPage, "webhook-log-toggle").click();
    await byTestId(zhPage, "webhook-delivery").first().waitFor({ timeout: 10_000 });
    await zhPage.screenshot({ path: `${SHOTS}/webhooks-log-desktop-zh.png`, fullPage: true });
  }, 180_000);
});
