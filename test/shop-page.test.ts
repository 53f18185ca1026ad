/**
 * The shop's page (/s/{slug}): the slug's rules, uniqueness and who may
 * change it; the public page API (live, upcoming, past; never a cancelled
 * show); the link previews and structured data of the shop's and each
 * show's page, with user text that tries to break out of them.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { slugFromName } from "../worker/shop-page/slugs.ts";
import { BASE, call, createShow, expectError, json, warmUp } from "./helpers.ts";

beforeAll(warmUp);

type Browser = { cookie: string | null };
let nextIp = 1;

/** A call from the console (Origin and the session cookie), or with no cookie at all. */
function fromConsole(browser: Browser, method: string, path: string, body?: unknown): Promise<Response> {
  const headers = new Headers({ "CF-Connecting-IP": `203.0.113.${nextIp++ % 250}`, Origin: BASE });
  if (browser.cookie) headers.set("Cookie", browser.cookie);
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return exports.default.fetch(new Request(`${BASE}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/** Signs a new browser in as the owner of the shop this key belongs to. */
async function ownerOf(apiKey: string): Promise<Browser & { accountId: string }> {
  const headers = { Authorization: `Bearer ${apiKey}`, Origin: BASE, "Content-Type": "application/json", "CF-Connecting-IP": `203.0.113.${nextIp++ % 250}` };
  const res = await exports.default.fetch(new Request(`${BASE}/api/auth/claim`, { method: "POST", headers, body: "{}" }));
  expect(res.status).toBe(201);
  const browser = { cookie: res.headers.getSetCookie().at(-1)!.split(";")[0]! };
  const { account } = await json(await fromConsole(browser, "GET", "/auth/me"));
  return { ...browser, accountId: account.id };
}

/** The shop's team: a browser for each role, one for another shop's owner, and one signed out. */
async function teamOf(shopId: string, apiKey: string) {
  const owner = await ownerOf(apiKey);
  const member = async (role: string) => {
    const { apiKey: otherKey } = await json(await call("/api/shops", { method: "POST", json: { name: "Elsewhere", currency: "EUR" } }));
    const browser = await ownerOf(otherKey);
    await env.DB.prepare("INSERT INTO memberships (shop_id, account_id, role, created_at) VALUES (?, ?, ?, ?)").bind(shopId, browser.accountId, role, Date.now()).run();
    return browser;
  };
  const { apiKey: outsiderKey } = await json(await call("/api/shops", { method: "POST", json: { name: "Another shop", currency: "EUR" } }));
  return {
    owner,
    manager: await member("manager"),
    host: await member("host"),
    moderator: await member("moderator"),
    outsider: await ownerOf(outsiderKey),
    signedOut: { cookie: null },
  };
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();

async function addShow(t: Awaited<ReturnType<typeof createShow>>, title: string, extra: Record<string, unknown> = {}) {
  const res = await call(`/api/shops/${t.shop.id}/rooms`, {
    method: "POST",
    key: t.apiKey,
    json: { title, products: t.products.map((p: { id: string }) => ({ productId: p.id, stock: 3 })), ...extra },
  });
  expect(res.status).toBe(201);
  return (await json(res)).room as { id: string };
}

const setStatus = (roomId: string, key: string, status: "live" | "ended") => call(`/api/rooms/${roomId}/status`, { method: "POST", key, json: { status } });

/** The JSON-LD blocks of a page, parsed back. */
function structuredData(html: string): any[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((block) => JSON.parse(block[1]!));
}

/** The content of a meta tag, unescaped as a browser reads it. */
function meta(html: string, key: string): string | undefined {
  const match = new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, "\\$&")}" content="([^"]*)">`).exec(html);
  return match?.[1]?.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
}

describe("a shop's slug", () => {
  it("is made from the shop's name, with a fallback for a name without ascii letters", async () => {
    expect(slugFromName("Mei Tea House")).toBe("mei-tea-house");
    expect(slugFromName("  Café Lumière!! ")).toBe("cafe-lumiere");
    expect(slugFromName("茶")).toMatch(/^shop-[a-z0-9]{6}$/);
    expect(slugFromName("Admin")).toMatch(/^shop-[a-z0-9]{6}$/);
    expect(slugFromName("x".repeat(80))).toHaveLength(33);

    const first = (await json(await call("/api/shops", { method: "POST", json: { name: "Slug Test Tea", currency: "EUR" } }))).shop;
    const second = (await json(await call("/api/shops", { method: "POST", json: { name: "Slug test tea", currency: "EUR" } }))).shop;
    const chinese = (await json(await call("/api/shops", { method: "POST", json: { name: "美茶坊", currency: "CNY" } }))).shop;
    expect(first.slug).toBe("slug-test-tea");
    expect(second.slug).toBe("slug-test-tea-2");
    expect(chinese.slug).toMatch(/^shop-[a-z0-9]{6}$/);
    expect((await call(`/api/shops/by-slug/${chinese.slug}`)).status).toBe(200);
  });

  it("follows the rules: 3-40 lowercase letters, digits and hyphens, no reserved word; taken is a 409", async () => {
    const t = await createShow({ shopName: "Rules Tea" });
    const other = await createShow({ shopName: "Taken Tea" });
    const put = (slug: unknown) => call(`/api/shops/${t.shop.id}/slug`, { method: "PUT", key: t.apiKey, json: { slug } });
    for (const bad of ["ab", "x".repeat(41), "-mei", "mei-", "mei--tea", "mei_tea", "mei tea", "茶叶", "api", "console", "admin"]) {
      await expectError(await put(bad), 400, "invalid_slug");
    }
    await expectError(await put(42), 400, "invalid_request");
    await expectError(await put(other.shop.slug), 409, "slug_taken");
    // Nothing changed by any of them.
    expect((await json(await call(`/api/shops/${t.shop.id}/slug`, { key: t.apiKey }))).slug).toBe(t.shop.slug);

    const res = await put("  Mei-Tea-2026 ");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ slug: "mei-tea-2026", url: `${BASE}/s/mei-tea-2026`, previous: t.shop.slug });
    await expectError(await call(`/api/shops/${other.shop.id}/slug`, { method: "PUT", key: other.apiKey, json: { slug: "mei-tea-2026" } }), 409, "slug_taken");
  });

  it("keeps its old slug leading to the shop (301) and held for it; the shop may take it back", async () => {
    const t = await createShow({ shopName: "Moving Tea" });
    const other = await createShow({ shopName: "Other Tea" });
    const old = t.shop.slug as string;
    const put = (slug: string) => call(`/api/shops/${t.shop.id}/slug`, { method: "PUT", key: t.apiKey, json: { slug } });
    expect((await put("moved-tea")).status).toBe(200);

    const page = await call(`/s/${old}`, { redirect: "manual" });
    expect(page.status).toBe(301);
    expect(page.headers.get("Location")).toBe("/s/moved-tea");
    expect((await json(await call(`/api/shops/by-slug/${old}`))).shop.slug).toBe("moved-tea");
    await expectError(await call(`/api/shops/${other.shop.id}/slug`, { method: "PUT", key: other.apiKey, json: { slug: old } }), 409, "slug_taken");

    // 90 days later another shop may have it.
    await env.DB.prepare("UPDATE shop_old_slugs SET retired_at = ? WHERE slug = ?").bind(Date.now() - 91 * 86_400_000, old).run();
    expect((await call(`/s/${old}`)).status).toBe(404);
    expect((await put(old)).status).toBe(200);
    expect((await call(`/s/moved-tea`, { redirect: "manual" })).status).toBe(301);
    expect((await call(`/s/${old}`)).status).toBe(200);
  });

  it("is read and changed by the owner, a manager and the API key; not by a host, a moderator, another shop or signed out", async () => {
    const t = await createShow({ shopName: "Team Tea" });
    const team = await teamOf(t.shop.id, t.apiKey);
    const refused: Record<string, [number, string]> = {
      host: [403, "forbidden"],
      moderator: [403, "forbidden"],
      outsider: [403, "forbidden"],
      signedOut: [401, "unauthorized"],
    };
    for (const [who, browser] of Object.entries(team)) {
      const slug = `team-tea-${who.toLowerCase()}`;
      const read = await fromConsole(browser, "GET", `/shops/${t.shop.id}/slug`);
      const write = await fromConsole(browser, "PUT", `/shops/${t.shop.id}/slug`, { slug });
      if (refused[who]) {
        await expectError(read, ...refused[who]);
        await expectError(write, ...refused[who]);
        expect((await call(`/api/shops/by-slug/${slug}`)).status, who).toBe(404);
      } else {
        expect([read.status, write.status], who).toEqual([200, 200]);
        expect((await json(await call(`/api/shops/by-slug/${slug}`))).shop.id, who).toBe(t.shop.id);
      }
    }
    expect((await call(`/api/shops/${t.shop.id}/slug`, { method: "PUT", key: t.apiKey, json: { slug: "team-tea-key" } })).status).toBe(200);
  });
});

describe("the shop's page", () => {
  it("lists the show live now, the upcoming ones soonest first, the past ones; never a cancelled one", async () => {
    const t = await createShow({ shopName: "Page Tea" });
    const later = await addShow(t, "Tomorrow's tasting", { startsAt: tomorrow(), coverImageUrl: undefined });
    const soon = await addShow(t, "Tasting in an hour", { startsAt: inAnHour() });
    const past = await addShow(t, "Last week's tasting");
    const cancelled = await addShow(t, "Cancelled tasting", { startsAt: tomorrow() });
    expect((await setStatus(t.room.id, t.hostKey, "live")).status).toBe(200);
    expect((await setStatus(past.id, t.apiKey, "live")).status).toBe(200);
    expect((await setStatus(past.id, t.apiKey, "ended")).status).toBe(200);
    expect((await call(`/api/shops/${t.shop.id}/rooms/${cancelled.id}/cancel`, { method: "POST", key: t.apiKey })).status).toBe(200);

    const res = await call(`/api/shops/by-slug/${t.shop.slug}`);
    expect(res.status).toBe(200);
    const page = await json(res);
    expect(page.shop).toEqual({ id: t.shop.id, name: "Page Tea", slug: t.shop.slug, url: `${BASE}/s/${t.shop.slug}` });
    expect(Math.abs(page.now - Date.now())).toBeLessThan(60_000);
    expect(page.live.map((s: any) => s.id)).toEqual([t.room.id]);
    expect(page.upcoming.map((s: any) => s.id)).toEqual([soon.id, later.id]);
    expect(page.past.map((s: any) => s.id)).toEqual([past.id]);
    expect(page.live[0]).toMatchObject({ title: "Spring tasting", status: "live", viewerLink: `${BASE}/r/${t.room.id}` });
    expect(JSON.stringify(page)).not.toContain(cancelled.id);

    const html = await call(`/s/${t.shop.slug}`);
    expect(html.status).toBe(200);
    expect(html.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(await html.text()).toContain('<div id="app"></div>');
  });

  it("is a real 404 page for an unknown or malformed slug, and the API a 404 JSON error", async () => {
    for (const slug of ["no-such-shop-here", "x", "%3Cscript%3E"]) {
      const page = await call(`/s/${slug}`);
      expect(page.status, slug).toBe(404);
      expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
      await page.body?.cancel();
      await expectError(await call(`/api/shops/by-slug/${slug}`), 404, "not_found");
    }
    const t = await createShow({ shopName: "Capital Tea" });
    const upper = await call(`/s/${t.shop.slug.toUpperCase()}`, { redirect: "manual" });
    expect([upper.status, upper.headers.get("Location")]).toEqual([301, `/s/${t.shop.slug}`]);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await json(await call("/api/openapi.json"));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/shops/by-slug/{slug}", "/shops/{shopId}/slug"]));
    expect(Object.keys(doc.paths["/shops/{shopId}/slug"])).toEqual(["get", "put"]);
  });
});

describe("link previews and structured data", () => {
  const NASTY = `"><script>alert(1)</script></title><!-- & 'x'`;

  it("a show's page carries Open Graph and Twitter tags, escaped, and an Event with its BroadcastEvent", async () => {
    const t = await createShow({ shopName: `Tea ${NASTY}` });
    const startsAt = tomorrow();
    const room = await addShow(t, `Tasting ${NASTY}`, { startsAt });
    const description = `Oolongs </script><script>alert(2)</script> & more`;
    await call(`/api/shops/${t.shop.id}/rooms/${room.id}`, { method: "PATCH", key: t.apiKey, json: { description, coverImageUrl: "/photos/cover.jpg" } });

    const res = await call(`/r/${room.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // No user text got out as markup: one script element is the page's own module, the others are data blocks.
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("</title><!--");
    expect(html.match(/<script\b[^>]*>/g)!.every((tag) => /type="(module|application\/json|application\/ld\+json)"/.test(tag))).toBe(true);
    expect(meta(html, "og:title")).toBe(`Tasting ${NASTY}`);
    expect(meta(html, "og:description")).toBe(description);
    expect(meta(html, "og:image")).toBe(`${BASE}/photos/cover.jpg`);
    expect(meta(html, "og:url")).toBe(`${BASE}/r/${room.id}`);
    expect(meta(html, "og:type")).toBe("video.other");
    expect(meta(html, "twitter:card")).toBe("summary_large_image");
    expect(meta(html, "event:start_time")).toBe(startsAt);
    expect(meta(html, "twitter:label1")).toBe("Starts");
    expect(html).toMatch(/<title>Tasting &lt;\/script&gt;|<title>Tasting "&gt;&lt;script&gt;/);

    const [ld] = structuredData(html);
    expect(ld["@context"]).toBe("https://schema.org");
    const [event, broadcast] = ld["@graph"];
    expect(event).toMatchObject({
      "@type": "Event",
      name: `Tasting ${NASTY}`,
      description,
      startDate: startsAt,
      eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
      location: { "@type": "VirtualLocation", url: `${BASE}/r/${room.id}` },
      isAccessibleForFree: true,
      image: [`${BASE}/photos/cover.jpg`],
      organizer: { "@type": "Organization", name: `Tea ${NASTY}`, url: `${BASE}/s/${t.shop.slug}` },
    });
    expect(broadcast).toMatchObject({ "@type": "BroadcastEvent", isLiveBroadcast: true, startDate: startsAt, broadcastOfEvent: { "@id": event["@id"] } });
  });

  it("falls back to the first product photo, else the default image; speaks the visitor's language", async () => {
    const t = await createShow({ shopName: "Photo Tea" });
    const withPhoto = await call(`/api/shops/${t.shop.id}/products`, { method: "POST", key: t.apiKey, json: { title: "Pu-erh cake", priceCents: 2500, imageUrl: "https://example.com/puerh.jpg" } });
    const product = (await json(withPhoto)).product;
    const photoRoom = (await json(await call(`/api/shops/${t.shop.id}/rooms`, { method: "POST", key: t.apiKey, json: { title: "Pu-erh night", products: [{ productId: product.id, stock: 2 }] } }))).room;

    const photo = await (await call(`/r/${photoRoom.id}`)).text();
    expect(meta(photo, "og:image")).toBe("https://example.com/puerh.jpg");
    const plain = await (await call(`/r/${t.room.id}`, { headers: { "Accept-Language": "zh-CN" } })).text();
    expect(meta(plain, "og:image")).toBe(`${BASE}/og-default.png`);
    expect(meta(plain, "og:description")).toContain("Photo Tea 的直播购物");
    expect(meta(plain, "og:locale")).toBe("zh_CN");
    expect((await call("/og-default.png")).headers.get("Content-Type")).toBe("image/png");
  });

  it("the shop's page lists its live and upcoming shows as events, and has its own preview", async () => {
    const t = await createShow({ shopName: "Events Tea" });
    const soon = await addShow(t, `Soon ${NASTY}`, { startsAt: inAnHour() });
    const cancelled = await addShow(t, "Cancelled one", { startsAt: tomorrow() });
    await call(`/api/shops/${t.shop.id}/rooms/${cancelled.id}/cancel`, { method: "POST", key: t.apiKey });

    const html = await (await call(`/s/${t.shop.slug}`)).text();
    expect(html).not.toContain("<script>alert");
    expect(meta(html, "og:title")).toBe("Events Tea");
    expect(meta(html, "og:url")).toBe(`${BASE}/s/${t.shop.slug}`);
    expect(meta(html, "og:type")).toBe("website");
    expect(meta(html, "twitter:card")).toBe("summary_large_image");
    const [ld] = structuredData(html);
    const events = ld["@graph"].filter((node: any) => node["@type"] === "Event");
    expect(events.map((event: any) => event.name).sort()).toEqual([`Soon ${NASTY}`, "Spring tasting"].sort());
    expect(events.find((event: any) => event.url.endsWith(soon.id)).startDate).toBeDefined();
    expect(JSON.stringify(ld)).not.toContain(cancelled.id);
    expect(ld["@graph"].filter((node: any) => node["@type"] === "BroadcastEvent")).toHaveLength(2);
  });
});
