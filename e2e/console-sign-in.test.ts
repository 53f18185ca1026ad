/**
 * The brand's front door, in Chromium with its virtual authenticator (a
 * passkey without a person): a show created on `/` leaves the brand signed
 * in as its shop's owner; one button secures the shop with a passkey (the
 * recovery code shown once); on another device holding that passkey,
 * /console signs in with it and lists the shop's show. And the emailed
 * sign-in link, read from wrangler's local `send_email` simulation: it
 * confirms the owner's email, signs in, and works once.
 */
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { latestEmail } from "../scripts/stack.ts";
import { byTestId, desktop, fitsWidth, launchBrowser, phone } from "./browser.ts";

// WebAuthn takes a domain as the passkeys' owner, never an IP address: the stack's 127.0.0.1 is reached as localhost.
const origin = inject("origin").replace("//127.0.0.1:", "//localhost:");
const SHOTS = "/tmp/shots";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

type Credential = { credentialId: string; isResidentCredential: boolean; rpId?: string; privateKey: string; userHandle?: string; signCount: number };

/** A platform authenticator that says yes (user present and verified), with resident keys: what a phone's passkeys are. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

async function createShowOnLanding(page: Page, shop: string, title: string) {
  await page.goto(`${origin}/`);
  await byTestId(page, "shop-name").fill(shop);
  await byTestId(page, "show-title").fill(title);
  await byTestId(page, "product-title-0").fill("Merino scarf");
  await byTestId(page, "product-price-0").fill("39.90");
  await byTestId(page, "create-show").click();
  await byTestId(page, "viewer-link").waitFor({ timeout: 15_000 });
}

describe("the brand's console", () => {
  let credential: Credential;
  const email = `owner-${Date.now()}@maple-moss.example`;
  let phoneContext: BrowserContext;

  it("a new show's brand secures its shop with a passkey and sees its recovery code once", async () => {
    phoneContext = await phone(browser);
    const page = await phoneContext.newPage();
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await createShowOnLanding(page, "Maple & Moss", "Autumn knitwear drop");

    // Signed in already (the claim ran in the background): the card offers a passkey.
    const card = byTestId(page, "secure-shop");
    await card.waitFor({ timeout: 10_000 });
    await byTestId(page, "secure-shop-email").fill(email);
    await page.screenshot({ path: `${SHOTS}/console-secure-shop-phone-en.png`, fullPage: true });
    await byTestId(page, "secure-shop-passkey").click();
    await byTestId(page, "secure-shop-done").waitFor({ timeout: 10_000 });
    const code = (await byTestId(page, "recovery-code").textContent())!.trim();
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    expect(await fitsWidth(page)).toBe(true);
    await card.screenshot({ path: `${SHOTS}/console-secured-phone-en.png` });

    const { credentials } = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: Credential[] };
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    credential = credentials[0]!;

    // The console in this browser: the shop, its show, the passkey named after the device.
    await byTestId(page, "open-console").click();
    await expect.poll(() => byTestId(page, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("Maple & Moss");
    await expect.poll(() => byTestId(page, "console-show-title").allTextContents()).toEqual(["Autumn knitwear drop"]);
    await expect.poll(() => byTestId(page, "passkey-name").allTextContents()).toEqual(["Linux computer"]);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/console-home-phone-en.png`, fullPage: true });
  });

  it("another device with the same passkey signs in to /console with it, no email typed, and sees the shop's show", async () => {
    const context = await desktop(browser, "en-US", 1366, 900);
    const page = await context.newPage();
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
    await page.goto(`${origin}/console`);
    await byTestId(page, "sign-in-passkey").waitFor();
    await page.screenshot({ path: `${SHOTS}/console-sign-in-desktop-en.png` });
    await byTestId(page, "sign-in-passkey").click();
    await expect.poll(() => byTestId(page, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("Maple & Moss");
    await expect.poll(() => byTestId(page, "console-show-title").allTextContents()).toEqual(["Autumn knitwear drop"]);
    // The session is an HttpOnly cookie: the page's script cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/session=/);
    const cookie = (await context.cookies(origin)).find((c) => c.name === "session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    // Two browsers are signed in now; from here, the phone can be signed out.
    await expect.poll(() => byTestId(page, "session").count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/console-home-desktop-en.png`, fullPage: true });
    page.once("dialog", (dialog) => void dialog.accept());
    await byTestId(page, "revoke-session").click();
    await expect.poll(() => byTestId(page, "session").count()).toBe(1);
    const phonePage = phoneContext.pages()[0]!;
    await phonePage.reload();
    await byTestId(phonePage, "sign-in-passkey").waitFor({ timeout: 10_000 });
    await context.close();
  });

  it("signs in with an emailed link, read from the local email simulation; the link works once (zh-CN)", async () => {
    // The address given on the landing page gets a confirmation link first: following it confirms the email.
    const confirmation = await latestEmail(origin, email);
    expect(confirmation.subject).toMatch(/Confirm your email/);
    const confirmLink = /http\S+\/console#token=el_\w+/.exec(confirmation.text)![0];
    const context = await phone(browser, "zh-CN");
    const page = await context.newPage();
    await page.goto(confirmLink);
    await expect.poll(() => byTestId(page, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("Maple & Moss");
    // The token left the address bar at once.
    expect(new URL(page.url()).hash).toBe("");
    await byTestId(page, "account-email").waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/console-home-phone-zh-CN.png`, fullPage: true });
    await byTestId(page, "sign-out").click();
    await byTestId(page, "sign-in-email").waitFor();

    const since = Date.now();
    await byTestId(page, "sign-in-email").fill(email);
    await byTestId(page, "send-email-link").click();
    await byTestId(page, "email-link-sent").waitFor();
    await page.screenshot({ path: `${SHOTS}/console-sign-in-phone-zh-CN.png`, fullPage: true });
    const signIn = await latestEmail(origin, email, { since });
    expect(signIn.subject).toMatch(/sign-in link/);
    const link = /http\S+\/console#token=el_\w+/.exec(signIn.text)![0];
    await page.goto(link);
    await expect.poll(() => byTestId(page, "console-shop-name").textContent(), { timeout: 10_000 }).toBe("Maple & Moss");

    // Once only: the same link in another browser does not sign in.
    const other = await (await phone(browser, "zh-CN", 320)).newPage();
    await other.goto(link);
    await expect.poll(() => byTestId(other, "sign-in-error").textContent(), { timeout: 10_000 }).toMatch(/过期|已被使用/);
    expect(await fitsWidth(other)).toBe(true);
    await other.screenshot({ path: `${SHOTS}/console-link-used-phone-320-zh-CN.png`, fullPage: true });
    await other.context().close();
    await context.close();
    await phoneContext.close();
  });

  it("offers the passkey card in Chinese on a laptop, below the new show's links", async () => {
    const page = await (await desktop(browser, "zh-CN", 1366, 900)).newPage();
    await createShowOnLanding(page, "拾光陶艺", "周五晚间新品釉色首发");
    const card = byTestId(page, "secure-shop");
    await card.waitFor({ timeout: 10_000 });
    expect(await card.textContent()).toContain("用通行密钥保护你的店铺");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/console-secure-shop-desktop-zh-CN.png`, fullPage: true });
    await page.context().close();
  });

  it("is served with the site's security headers", async () => {
    for (const path of ["/console", "/console.html"]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('src="/assets/console-');
      expect(res.headers.get("Content-Security-Policy")).toMatch(/^default-src 'self';.*frame-ancestors 'self'/);
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
  });

  it("asking for a link for an unknown email looks the same, and sends nothing", async () => {
    const page = await (await desktop(browser, "en-US", 1366, 900)).newPage();
    await page.goto(`${origin}/console`);
    const since = Date.now();
    await byTestId(page, "sign-in-email").fill("nobody-here@example.com");
    await byTestId(page, "send-email-link").click();
    await expect.poll(() => byTestId(page, "email-link-sent").textContent()).toContain("nobody-here@example.com");
    await expect(latestEmail(origin, "nobody-here@example.com", { since, timeoutMs: 3000 })).rejects.toThrow(/no email/);
    await page.context().close();
  });
});
