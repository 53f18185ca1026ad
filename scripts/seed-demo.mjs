/**
 * Seeds the demo shop and show through the public API (so the demo is made
 * exactly as a brand would make one), once: later runs reuse it while its
 * room still exists in the local state.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { latestEmailTo } from "./local-emails.mjs";

const DEMO = {
  shop: { name: "Lotus Tea House", currency: "USD" },
  /** The demo shop's owner signs in to the console with links sent here (shown locally, never sent). */
  ownerEmail: "owner@lotus-tea.example",
  title: "Spring tea tasting, live from the shop",
  products: [
    { title: "Jasmine pearls, 100 g", priceCents: 1899, imageUrl: "/demo/jasmine-pearls.svg", description: "Hand-rolled green tea scented with fresh jasmine.", stock: 40 },
    { title: "Porcelain gaiwan set", priceCents: 4500, imageUrl: "/demo/gaiwan-set.svg", description: "Lidded bowl, saucer and two cups.", stock: 12 },
    { title: "Roasted oolong tin", priceCents: 2400, imageUrl: "/demo/oolong-tin.svg", description: "Charcoal-roasted Tieguanyin, 150 g.", stock: 25 },
  ],
};

async function waitUntilUp(api, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${api}/api/openapi.json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer on ${api} within ${timeoutMs / 1000} s`);
}

async function call(api, path, { key, json, method, allow = [] } = {}) {
  const res = await fetch(`${api}${path}`, {
    method: method ?? (json ? "POST" : "GET"),
    headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  const body = await res.json();
  if (!res.ok && !allow.includes(res.status)) throw new Error(`${path}: ${res.status} ${body.error?.message ?? ""}`);
  return body;
}

const tokenOf = (email) => /#token=(el_[0-9A-Za-z]+)/.exec(email.text)?.[1];

/**
 * A fresh sign-in link to the console for the demo's owner, sent as any
 * sign-in link is: through the Worker's email queue to wrangler's local
 * `send_email` simulation, read back from it. The first time, the demo's
 * owner claims the shop with its email and follows the confirmation link,
 * so that the address can ask for sign-in links from then on.
 */
export async function demoSignInLink(api, file, demo) {
  if (!demo.ownerEmail) {
    const since = Date.now();
    const claim = await call(api, "/api/auth/claim", { key: demo.apiKey, json: { email: DEMO.ownerEmail }, allow: [409] });
    if (!claim.error) {
      const token = tokenOf(await latestEmailTo(api, DEMO.ownerEmail, { since }));
      await call(api, "/api/auth/email-link/sign-in", { json: { token } });
    }
    demo.ownerEmail = DEMO.ownerEmail;
    const { shopId, apiKey, roomId, savedLinks, ownerEmail } = demo;
    await writeFile(file, JSON.stringify({ shopId, apiKey, roomId, links: savedLinks, ownerEmail }, null, 2));
  }
  const since = Date.now();
  await call(api, "/api/auth/email-link", { json: { email: demo.ownerEmail } });
  const email = await latestEmailTo(api, demo.ownerEmail, { since });
  return { email: demo.ownerEmail, link: /\S+\/console#token=el_\S+/.exec(email.text)?.[0] };
}

/** Returns `{shopId, apiKey, roomId, links, savedLinks, shopPage, ownerEmail?}` for the demo, creating it if needed (`links` with today's origin). */
export async function seedDemo(api, file, origin) {
  await waitUntilUp(api);
  try {
    const saved = JSON.parse(await readFile(file, "utf8"));
    const res = await fetch(`${api}/api/rooms/${saved.roomId}`);
    if (res.ok) {
      await keepAhead(api, saved, (await res.json()).room);
      return { ...saved, savedLinks: saved.links, links: withOrigin(saved.links, origin), shopPage: await shopPage(api, saved, origin) };
    }
  } catch {
    // no demo yet, or its state was wiped
  }
  const { shop, apiKey } = await call(api, "/api/shops", { json: DEMO.shop });
  const listed = [];
  for (const { stock, ...product } of DEMO.products) {
    const { product: created } = await call(api, `/api/shops/${shop.id}/products`, { key: apiKey, json: product });
    listed.push({ productId: created.id, stock });
  }
  const startsAt = new Date(Date.now() + 15 * 60_000).toISOString();
  const { room, links } = await call(api, `/api/shops/${shop.id}/rooms`, { key: apiKey, json: { title: DEMO.title, startsAt, products: listed } });
  await call(api, `/api/rooms/${room.id}/pin`, { key: apiKey, json: { productId: listed[0].productId } });
  const demo = { shopId: shop.id, apiKey, roomId: room.id, links };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(demo, null, 2));
  return { ...demo, savedLinks: links, links: withOrigin(links, origin), shopPage: await shopPage(api, demo, origin) };
}

/** A demo seeded on an earlier day would show "the host is on the way": while it has not gone live, it starts in 15 minutes again. */
async function keepAhead(api, demo, room) {
  if (room.status !== "scheduled" || !room.startsAt || Date.parse(room.startsAt) > Date.now() + 60_000) return;
  const startsAt = new Date(Date.now() + 15 * 60_000).toISOString();
  await call(api, `/api/shops/${demo.shopId}/rooms/${demo.roomId}`, { key: demo.apiKey, method: "PATCH", json: { startsAt } });
}

/** The demo shop's page (/s/{slug}), or null for a demo seeded before shop pages. */
async function shopPage(api, demo, origin) {
  const body = await call(api, `/api/shops/${demo.shopId}/slug`, { key: demo.apiKey, allow: [401, 403, 404] });
  return body.slug ? `${origin}/s/${body.slug}` : null;
}

/** Links are stored with the origin they were made on; show them with today's. */
function withOrigin(links, origin) {
  return Object.fromEntries(Object.entries(links).map(([k, v]) => [k, origin + v.slice(new URL(v).origin.length)]));
}
