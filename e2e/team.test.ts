/**
 * A team of hosts, in Chromium with its virtual authenticator: the owner
 * invites a host from the console; in another browser she opens the link,
 * creates her account with a passkey and joins; the owner assigns her a
 * show; from her own console she opens its studio (no key anywhere: her
 * session answers), goes live with the fake camera and pins a product,
 * which a viewer sees.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { byTestId, createShow, desktop, fitsWidth, launchBrowser, online, phone } from "./browser.ts";

// WebAuthn takes a domain as the passkeys' owner, never an IP address: the stack's 127.0.0.1 is reached as localhost.
const origin = inject("origin").replace("//127.0.0.1:", "//localhost:");
const SHOTS = "/tmp/shots";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** A platform authenticator that says yes, with resident keys (a phone's passkeys). */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

describe("a team of hosts", () => {
  it("the owner invites a host, she joins with a passkey, gets a show, opens its studio from her console, goes live and pins", async () => {
    const show = await createShow(origin, 5);
    const [jasmine] = show.products;

    // The owner, on a laptop: signed in as the shop's owner (what the landing page does after creating a show).
    const ownerContext = await desktop(browser, "en-US", 1366, 900);
    const owner = await ownerContext.newPage();
    await owner.goto(`${origin}/console`);
    const claimed = await owner.evaluate(
      (apiKey) => fetch("/api/auth/claim", { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: "{}" }).then((r) => r.status),
      show.apiKey,
    );
    expect(claimed).toBe(201);
    await owner.reload();
    await byTestId(owner, "section-team").click({ timeout: 10_000 });
    await byTestId(owner, "team").waitFor({ timeout: 10_000 });
    await byTestId(owner, "invite-role").selectOption("host");
    await byTestId(owner, "invite-name").fill("Mei");
    await byTestId(owner, "invite-create").click();
    const link = await byTestId(owner, "invite-link").inputValue({ timeout: 10_000 });
    expect(link).toMatch(new RegExp(`^${origin}/console#invite=${show.shop.id}\\.iv_[0-9A-Za-z]{32}$`));
    await expect.poll(() => byTestId(owner, "team-invite").count(), { timeout: 10_000 }).toBe(1);
    await owner.screenshot({ path: `${SHOTS}/team-invite-desktop-en.png`, fullPage: true });

    // Mei, on her phone, in Chinese: the link, her name, a passkey; she is in.
    const meiContext = await phone(browser, "zh-CN");
    const mei = await meiContext.newPage();
    const { cdp, authenticatorId } = await virtualAuthenticator(mei);
    await mei.goto(link);
    await byTestId(mei, "invite-display-name").waitFor({ timeout: 10_000 });
    // The token leaves the address bar at once.
    expect(new URL(mei.url()).hash).toBe("");
    expect(await byTestId(mei, "invite-accept").textContent()).toContain("Lotus Tea House");
    expect(await fitsWidth(mei)).toBe(true);
    await mei.screenshot({ path: `${SHOTS}/team-join-phone-zh.png`, fullPage: true });
    await byTestId(mei, "invite-display-name").fill("Mei Lin");
    await byTestId(mei, "invite-create-account").click();
    await byTestId(mei, "recovery-code").waitFor({ timeout: 10_000 });
    const { credentials } = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: unknown[] };
    expect(credentials).toHaveLength(1);
    await mei.screenshot({ path: `${SHOTS}/team-joined-phone-zh.png`, fullPage: true });
    await byTestId(mei, "recovery-code-done").click();
    await byTestId(mei, "invite-continue").click();
    await expect.poll(() => byTestId(mei, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("Lotus Tea House");
    // Not assigned yet: a host sees no show of the shop, and no team card.
    await byTestId(mei, "no-shows").waitFor({ timeout: 10_000 });
    expect(await byTestId(mei, "team").count()).toBe(0);

    // The owner sees her on the team, and assigns her the show.
    await owner.reload();
    await byTestId(owner, "section-team").click({ timeout: 10_000 });
    await expect.poll(() => byTestId(owner, "team-member-name").allTextContents(), { timeout: 10_000 }).toEqual(["Lotus Tea House", "Mei Lin"]);
    expect(await byTestId(owner, "team-invite").count()).toBe(0);
    await byTestId(owner, "section-shows").click();
    const row = owner.locator(`[data-testid=console-show]`).filter({ hasText: "Spring tasting" });
    await row.locator("[data-testid=assign-host]").selectOption({ label: "Mei Lin" });
    await expect.poll(() => row.locator("[data-testid=show-host]").allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining("Mei Lin")]);
    await owner.screenshot({ path: `${SHOTS}/team-assigned-desktop-en.png`, fullPage: true });

    // Mei's console now lists the show; she opens its studio from there.
    await mei.reload();
    await byTestId(mei, "console-show-studio").waitFor({ timeout: 10_000 });
    expect(await fitsWidth(mei)).toBe(true);
    await mei.screenshot({ path: `${SHOTS}/team-host-console-phone-zh.png`, fullPage: true });
    await byTestId(mei, "console-show-studio").click();
    await mei.waitForURL(`${origin}/studio/${show.room.id}`);
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer.replace("//127.0.0.1:", "//localhost:"));
    await online(mei);
    await online(viewer);
    // No key in the address, none kept by the page: her session is an HttpOnly cookie the page cannot read.
    expect(mei.url()).not.toContain("#");
    expect(await mei.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("shop-along:key:")))).toEqual([]);
    expect(await mei.evaluate(() => document.cookie)).not.toMatch(/session=/);
    // Without the host key, she can still invite a guest and a moderator: the server gives her session the show's links.
    const keyOf = (link: string) => new URL(link).hash;
    await expect.poll(() => byTestId(mei, "guest-invite-link").textContent(), { timeout: 10_000 }).toContain(keyOf(show.links.guest));
    expect(await byTestId(mei, "moderator-invite-link").textContent()).toContain(keyOf(show.links.moderator));

    await byTestId(mei, "go-live").click();
    const live = byTestId(mei, "live-mode");
    await live.waitFor({ timeout: 15_000 });
    // Her camera is on the stage, published with her session.
    await expect.poll(async () => (await show.api(`/api/rooms/${show.room.id}`)).room.stage.some((t: { role: string }) => t.role === "host"), { timeout: 15_000 }).toBe(true);
    expect((await show.api(`/api/rooms/${show.room.id}`)).room.status).toBe("live");
    const card = live.locator(`[data-testid=live-product][data-product-id="${jasmine.id}"]`);
    await card.locator("[data-testid=live-pin]").click();
    await expect.poll(() => byTestId(viewer, "pinned-product").getAttribute("data-product-id"), { timeout: 10_000 }).toBe(jasmine.id);
    await mei.screenshot({ path: `${SHOTS}/team-host-live-phone-zh.png` });
    await viewer.screenshot({ path: `${SHOTS}/team-viewer-pin-phone-en.png` });

    // Removed from the team, she can no longer run it: the next control is refused on the server.
    await owner.reload();
    await byTestId(owner, "section-team").click({ timeout: 10_000 });
    const meiRow = owner.locator("[data-testid=team-member]").filter({ hasText: "Mei Lin" });
    owner.once("dialog", (dialog) => void dialog.accept());
    await meiRow.locator("[data-testid=team-member-remove]").click();
    await expect.poll(() => byTestId(owner, "team-member-name").allTextContents(), { timeout: 10_000 }).toEqual(["Lotus Tea House"]);
    const refused = await mei.evaluate(
      (roomId) => fetch(`/api/rooms/${roomId}/pin`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"productId":null}' }).then((r) => r.status),
      show.room.id,
    );
    expect(refused).toBe(403);
    await Promise.all([ownerContext.close(), meiContext.close(), viewer.context().close()]);
  });

  it("a moderator opens the chat's moderation from her console, without a link, and bans a troll; she cannot run the show", async () => {
    const show = await createShow(origin, 5);
    const ownerContext = await desktop(browser);
    const owner = await ownerContext.newPage();
    await owner.goto(`${origin}/console`);
    const link = await owner.evaluate(async (apiKey) => {
      await fetch("/api/auth/claim", { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: "{}" });
      const shopId = (await (await fetch("/api/auth/me")).json()).shops[0].id;
      const res = await fetch(`/api/shops/${shopId}/team/invites`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"role":"moderator"}' });
      return (await res.json()).link as string;
    }, show.apiKey);

    // She joins from the link, then opens the show's moderation from her console.
    const modContext = await phone(browser);
    const mod = await modContext.newPage();
    await virtualAuthenticator(mod);
    await mod.goto(link);
    await byTestId(mod, "invite-display-name").fill("Ana");
    await byTestId(mod, "invite-create-account").click();
    await byTestId(mod, "recovery-code-done").click({ timeout: 10_000 });
    await byTestId(mod, "invite-continue").click();
    await byTestId(mod, "console-show-moderate").waitFor({ timeout: 10_000 });
    expect(await byTestId(mod, "console-show-studio").count()).toBe(0);
    await byTestId(mod, "console-show-moderate").click();
    await mod.waitForURL(`${origin}/mod/${show.room.id}`);
    const viewer = await (await phone(browser)).newPage();
    await viewer.goto(show.links.viewer.replace("//127.0.0.1:", "//localhost:"));
    await online(mod);
    await online(viewer);
    await byTestId(viewer, "chat-name").fill("Troll");
    await byTestId(viewer, "chat-input").fill("cheap followers at spam.example");
    await byTestId(viewer, "chat-input").press("Enter");
    const message = mod.locator("[data-testid=chat-message]", { hasText: "cheap followers" });
    await message.locator("[data-testid=ban-viewer]").click();
    await expect.poll(() => byTestId(viewer, "chat-notice").textContent(), { timeout: 10_000 }).toContain("closed the chat");
    await mod.screenshot({ path: `${SHOTS}/team-moderator-phone-en.png` });
    // Her session moderates; it does not pin.
    const pin = await mod.evaluate(
      (roomId) => fetch(`/api/rooms/${roomId}/pin`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"productId":null}' }).then((r) => r.status),
      show.room.id,
    );
    expect(pin).toBe(403);
    await Promise.all([ownerContext.close(), modContext.close(), viewer.context().close()]);
  });

  it("the team card fits a phone (320 and 390 px, en) and a laptop in Chinese", async () => {
    for (const [context, name] of [
      [await phone(browser, "en-US", 320), "phone320-en"],
      [await phone(browser, "en-US"), "phone-en"],
      [await desktop(browser, "zh-CN", 1366, 900), "desktop-zh"],
    ] as const) {
      const show = await createShow(origin, 5);
      const page = await context.newPage();
      await page.goto(`${origin}/console`);
      await page.evaluate(
        (apiKey) => fetch("/api/auth/claim", { method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: "{}" }),
        show.apiKey,
      );
      await page.reload();
      await byTestId(page, "section-team").click({ timeout: 10_000 });
      await byTestId(page, "team").waitFor({ timeout: 10_000 });
      await byTestId(page, "invite-create").click();
      await byTestId(page, "invite-link").waitFor();
      expect(await fitsWidth(page), name).toBe(true);
      await page.screenshot({ path: `${SHOTS}/team-card-${name}.png`, fullPage: true });
      await context.close();
    }
  });
});
