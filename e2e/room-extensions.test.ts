/**
 * Room extensions as a developer uses them: two viewers' phones (English and
 * Chinese) listen for `shop-along:event`, a developer's server posts an
 * `x-quiz` through the API, both pages get it with its data, and the room's
 * event stream, read with Node's fetch, carries the same event. After the
 * end, the replay dispatches it again at its moment.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createShow, launchBrowser, online, openPage, phone } from "./browser.ts";

const origin = inject("origin");
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

/** What a brand's own script on the page does: keep every custom event it is told of. */
const listen = (page: Page) =>
  page.evaluate(() => {
    const seen: unknown[] = ((window as unknown as { seen: unknown[] }).seen = []);
    addEventListener("shop-along:event", (event) => seen.push((event as CustomEvent).detail));
  });
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Array<{ id: string; name: string; data: unknown; at: number }> }).seen);

/** The room's event stream, read as the README shows: fetch with the key, frames split on blank lines. */
function readStream(url: string, key: string) {
  const events: Array<{ id: number; event: string; data: any }> = [];
  const controller = new AbortController();
  void (async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    let buffer = "";
    for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      for (let end; (end = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(end + 2)) {
        const lines = buffer.slice(0, end).split("\n");
        const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        if (field("data")) events.push({ id: Number(field("id")), event: field("event")!, data: JSON.parse(field("data")!) });
      }
    }
  })().catch(() => {});
  return { events, stop: () => controller.abort() };
}

describe("a developer's custom event", () => {
  it("reaches every viewer's page as shop-along:event, and the event stream", async () => {
    const show = await createShow(origin);
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, show.apiKey);
    const english = await openPage(browser, contexts, phone, show.links.viewer, "en-US");
    const chinese = await openPage(browser, contexts, phone, show.links.viewer, "zh-CN");
    await online(english);
    await online(chinese);
    await listen(english);
    await listen(chinese);
    const stream = readStream(`${origin}/api/rooms/${show.room.id}/events/stream`, show.apiKey);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const data = { question: "Which tea is smoked?", choices: ["Lapsang souchong", "Sencha"], 答案: "正山小种" };
    const res = await fetch(`${origin}/api/rooms/${show.room.id}/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${show.apiKey}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ type: "x-quiz", data }),
    });
    expect(res.status).toBe(201);
    const posted = (await res.json()) as { id: string; seq: number; at: number };
    const detail = { id: posted.id, name: "x-quiz", data, at: posted.at };

    await expect.poll(() => seen(english), { timeout: 1000, interval: 50 }).toEqual([detail]);
    await expect.poll(() => seen(chinese), { timeout: 1000, interval: 50 }).toEqual([detail]);
    await expect.poll(() => stream.events.find((event) => event.event === "custom"), { timeout: 2000 }).toEqual({
      id: posted.seq,
      event: "custom",
      data: { type: "custom", seq: posted.seq, ...detail },
    });
    stream.stop();
    // The pages carry on: the show is still live and on screen.
    expect(await english.locator('[data-testid="connection-status"]').getAttribute("data-state")).toBe("online");
    await english.screenshot({ path: "/tmp/ext-viewer-en.png" });
    await chinese.screenshot({ path: "/tmp/ext-viewer-zh.png" });
  });

  it("is dispatched again by the replay, at its moment", async () => {
    const show = await createShow(origin, 5, { recording: false });
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "live" }, show.apiKey);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const posted = await show.api(`/api/rooms/${show.room.id}/events`, { type: "x-overlay", data: { show: "banner" } }, show.apiKey);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await show.api(`/api/rooms/${show.room.id}/status`, { status: "ended" }, show.apiKey);

    const context = await phone(browser, "zh-CN");
    contexts.push(context);
    const page = await context.newPage();
    // Before the page's own scripts: the replay starts playing as soon as it is loaded.
    await page.addInitScript(() => {
      const seen: unknown[] = ((window as unknown as { seen: unknown[] }).seen = []);
      addEventListener("shop-along:event", (event) => seen.push((event as CustomEvent).detail));
    });
    await page.goto(show.links.viewer);
    await page.locator('[data-testid="replay"][data-state="ready"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => seen(page), { timeout: 10_000, interval: 100 }).toEqual([{ id: posted.id, name: "x-overlay", data: { show: "banner" }, at: posted.at }]);
    // At its moment: about 1.5 s into the show, not at the start.
    expect(Number(await page.locator('[data-testid="replay"]').getAttribute("data-t"))).toBeGreaterThanOrEqual(1000);
  });
});
