import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createShow, json, open } from "./helpers.ts";

const post = (path: string, json: unknown, key?: string) => call(path, { method: "POST", json, key });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
  const body = await json(res);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  return body.error.message as string;
}

describe("shops", () => {
  it("creates a shop and shows the API key once, storing only its hash", async () => {
    const res = await post("/api/shops", { name: "Lotus Tea", currency: "CNY" });
    expect(res.status).toBe(201);
    const { shop, apiKey } = await json(res);
    expect(shop).toEqual({ id: expect.stringMatching(/^s_/), name: "Lotus Tea", currency: "CNY", slug: expect.stringMatching(/^lotus-tea/) });
    expect(apiKey).toMatch(/^sk_[0-9A-Za-z]{32}$/);
    const row = await env.DB.prepare("SELECT * FROM shops WHERE id = ?").bind(shop.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(apiKey);
    expect(row!.api_key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("defaults the currency to USD", async () => {
    const { shop } = await json(await post("/api/shops", { name: "Corner Store" }));
    expect(shop.currency).toBe("USD");
  });

  it("refuses bad input with a 4xx JSON error and creates nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM shops").first<{ n: number }>();
    await expectError(await call("/api/shops", { method: "POST", body: "{not json", headers: { "Content-Type": "application/json" } }), 400, "invalid_json");
    expect(await expectError(await post("/api/shops", {}), 400, "invalid_request")).toMatch(/name/);
    await expectError(await post("/api/shops", { name: 42 }), 400, "invalid_request");
    await expectError(await post("/api/shops", { name: "   " }), 400, "invalid_request");
    await expectError(await post("/api/shops", { name: "x".repeat(81) }), 400, "invalid_request");
    await expectError(await post("/api/shops", { name: "Shop", currency: "XXX" }), 400, "invalid_request");
    await expectError(await post("/api/shops", []), 400, "invalid_request");
    await expectError(await post("/api/shops", { name: "x".repeat(70_000) }), 413, "payload_too_large");
    const after = await env.DB.prepare("SELECT count(*) AS n FROM shops").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });
});

describe("products", () => {
  it("adds and lists products with the shop's key", async () => {
    const { shop, apiKey } = await json(await post("/api/shops", { name: "Tea", currency: "EUR" }));
    const res = await post(`/api/shops/${shop.id}/products`, { title: "Oolong", priceCents: 1250, imageUrl: "https://example.com/o.jpg", description: "Roasted" }, apiKey);
    expect(res.status).toBe(201);
    const { product } = await json(res);
    expect(product).toEqual({
      id: expect.stringMatching(/^p_/), shopId: shop.id, title: "Oolong", description: "Roasted",
      priceCents: 1250, currency: "EUR", imageUrl: "https://example.com/o.jpg", optionNames: [], variants: [], photos: [],
    });
    const list = await json(await call(`/api/shops/${shop.id}/products`));
    expect(list.products).toEqual([product]);
  });

  it("needs the key of the shop itself", async () => {
    const a = await json(await post("/api/shops", { name: "A" }));
    const b = await json(await post("/api/shops", { name: "B" }));
    const body = { title: "Cup", priceCents: 100 };
    await expectError(await post(`/api/shops/${a.shop.id}/products`, body), 401, "unauthorized");
    await expectError(await post(`/api/shops/${a.shop.id}/products`, body, "sk_wrongwrongwrongwrongwrongwrong12"), 401, "unauthorized");
    await expectError(await post(`/api/shops/${a.shop.id}/products`, body, b.apiKey), 403, "forbidden");
    expect((await json(await call(`/api/shops/${a.shop.id}/products`))).products).toEqual([]);
  });

  it("validates products", async () => {
    const { shop, apiKey } = await json(await post("/api/shops", { name: "V" }));
    const path = `/api/shops/${shop.id}/products`;
    await expectError(await post(path, { title: "Cup", priceCents: -1 }, apiKey), 400, "invalid_request");
    await expectError(await post(path, { title: "Cup", priceCents: 1.5 }, apiKey), 400, "invalid_request");
    await expectError(await post(path, { title: "Cup", priceCents: "100" }, apiKey), 400, "invalid_request");
    await expectError(await post(path, { title: "", priceCents: 100 }, apiKey), 400, "invalid_request");
    await expectError(await post(path, { title: "Cup", priceCents: 100, imageUrl: "javascript:alert(1)" }, apiKey), 400, "invalid_request");
  });

  it("refuses http:// image links, which no page may show (its images load over https only)", async () => {
    const { shop, apiKey } = await json(await post("/api/shops", { name: "Images" }));
    const path = `/api/shops/${shop.id}/products`;
    const message = await expectError(await post(path, { title: "Cup", priceCents: 100, imageUrl: "http://example.com/cup.jpg" }, apiKey), 400, "invalid_request");
    expect(message).toMatch(/^imageUrl: .*https:\/\//);
    expect((await json(await call(path))).products).toEqual([]);
    // https and this site's own paths stay welcome.
    expect((await post(path, { title: "Cup", priceCents: 100, imageUrl: "https://example.com/cup.jpg" }, apiKey)).status).toBe(201);
    expect((await post(path, { title: "Mug", priceCents: 100, imageUrl: "/demo/gaiwan-set.svg" }, apiKey)).status).toBe(201);
  });

  it("answers 404 for an unknown shop and 400 for a malformed id", async () => {
    await expectError(await call("/api/shops/s_0000000000000000/products"), 404, "not_found");
    await expectError(await call("/api/shops/nope/products"), 400, "invalid_request");
  });
});

describe("rooms", () => {
  it("creates a room with absolute links whose keys open only their own role", async () => {
    const show = await createShow({ stock: 7 });
    expect(show.room).toMatchObject({ title: "Spring tasting", status: "scheduled", pinnedProductId: null, viewers: 0, shopName: "Lotus Tea" });
    expect(show.room.products.map((p: any) => p.left)).toEqual([7, 7]);
    expect(show.links.viewer).toBe(`http://shop.test/r/${show.room.id}`);
    expect(show.links.host).toMatch(new RegExp(`^http://shop.test/studio/${show.room.id}#key=hk_`));
    expect(show.links.guest).toMatch(new RegExp(`^http://shop.test/guest/${show.room.id}#key=gk_`));
    expect(show.links.moderator).toMatch(new RegExp(`^http://shop.test/mod/${show.room.id}#key=mk_`));
    const role = async (key?: string) => (await json(await call(`/api/rooms/${show.room.id}/role`, { key }))).role;
    expect(await role(show.hostKey)).toBe("host");
    expect(await role(show.guestKey)).toBe("guest");
    expect(await role(show.moderatorKey)).toBe("moderator");
    expect(await role()).toBe("viewer");
    await expectError(await call(`/api/rooms/${show.room.id}/role`, { key: "hk_nope" }), 401, "unauthorized");
  });

  it("gives the host the links again, guest and moderator links included, and nobody else", async () => {
    const show = await createShow();
    const res = await call(`/api/rooms/${show.room.id}/links`, { key: show.hostKey });
    expect((await json(res)).links).toEqual(show.links);
    expect(Object.keys(show.links).sort()).toEqual(["guest", "host", "moderator", "viewer"]);
    await expectError(await call(`/api/rooms/${show.room.id}/links`, { key: show.guestKey }), 403, "forbidden");
    await expectError(await call(`/api/rooms/${show.room.id}/links`, { key: show.moderatorKey }), 403, "forbidden");
    await expectError(await call(`/api/rooms/${show.room.id}/links`, { key: show.apiKey }), 403, "forbidden");
    await expectError(await call(`/api/rooms/${show.room.id}/links`), 401, "unauthorized");
  });

  it("records the listed units in D1", async () => {
    const show = await createShow({ stock: 3 });
    const { results } = await env.DB.prepare("SELECT product_id, listed FROM room_products WHERE room_id = ? ORDER BY position").bind(show.room.id).all();
    expect(results).toEqual(show.products.map((p: any) => ({ product_id: p.id, listed: 3 })));
  });

  it("refuses products of another shop, duplicates and bad stock", async () => {
    const mine = await createShow();
    const other = await createShow({ shopName: "Other" });
    const path = `/api/shops/${mine.shop.id}/rooms`;
    const create = (products: unknown) => post(path, { title: "Show", products }, mine.apiKey);
    await expectError(await create([{ productId: other.products[0].id, stock: 1 }]), 404, "not_found");
    await expectError(await create([{ productId: mine.products[0].id, stock: 1 }, { productId: mine.products[0].id, stock: 2 }]), 400, "invalid_request");
    await expectError(await create([{ productId: mine.products[0].id, stock: -1 }]), 400, "invalid_request");
    await expectError(await create([]), 400, "invalid_request");
    await expectError(await post(path, { title: "Show", startsAt: "tomorrow", products: [{ productId: mine.products[0].id, stock: 1 }] }, mine.apiKey), 400, "invalid_request");
    await expectError(await post(path, { title: "Show", products: [{ productId: mine.products[0].id, stock: 1 }] }, other.apiKey), 403, "forbidden");
  });

  it("refuses a start time in the past, allowing a few minutes of clock skew", async () => {
    const mine = await createShow();
    const path = `/api/shops/${mine.shop.id}/rooms`;
    const startingAt = (offsetMs: number) =>
      post(path, { title: "Show", startsAt: new Date(Date.now() + offsetMs).toISOString(), products: [{ productId: mine.products[0].id, stock: 1 }] }, mine.apiKey);
    const message = await expectError(await startingAt(-60 * 60_000), 400, "invalid_request");
    expect(message).toMatch(/^startsAt: .*past/);
    await expectError(await startingAt(-6 * 60_000), 400, "invalid_request");
    // A clock a little behind the server's, or a show starting right now, is fine.
    const skewed = await startingAt(-2 * 60_000);
    expect(skewed.status).toBe(201);
    const later = new Date(Date.now() + 24 * 3600_000);
    const res = await post(path, { title: "Show", startsAt: later.toISOString(), products: [{ productId: mine.products[0].id, stock: 1 }] }, mine.apiKey);
    expect(res.status).toBe(201);
    expect((await json(res)).room.startsAt).toBe(later.toISOString());
  });

  it("answers 404 for an unknown room and 400 for a malformed id", async () => {
    await expectError(await call("/api/rooms/r_0000000000000000"), 404, "not_found");
    await expectError(await call("/api/rooms/..%2F..%2Fetc"), 400, "invalid_request");
  });
});

describe("host controls over HTTP", () => {
  it("pins with the host key or the shop's key, and refuses everyone else", async () => {
    const show = await createShow();
    const other = await createShow({ shopName: "Other" });
    const path = `/api/rooms/${show.room.id}/pin`;
    const productId = show.products[1].id;
    await expectError(await post(path, { productId }), 401, "unauthorized");
    await expectError(await post(path, { productId }, show.guestKey), 403, "forbidden");
    await expectError(await post(path, { productId }, show.moderatorKey), 403, "forbidden");
    await expectError(await post(path, { productId }, other.hostKey), 401, "unauthorized");
    await expectError(await post(path, { productId }, other.apiKey), 403, "forbidden");
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.pinnedProductId).toBeNull();

    const pinned = await post(path, { productId }, show.hostKey);
    expect(pinned.status).toBe(200);
    expect((await json(pinned)).room.pinnedProductId).toBe(productId);
    const unpinned = await json(await post(path, { productId: null }, show.apiKey));
    expect(unpinned.room.pinnedProductId).toBeNull();
    await expectError(await post(path, { productId: other.products[0].id }, show.hostKey), 404, "not_found");
    await expectError(await post(path, { product: "x" }, show.hostKey), 400, "invalid_request");
  });

  it("moves the show from scheduled to live to ended, and never back", async () => {
    const show = await createShow();
    const path = `/api/rooms/${show.room.id}/status`;
    await expectError(await post(path, { status: "live" }), 401, "unauthorized");
    await expectError(await post(path, { status: "paused" }, show.hostKey), 400, "invalid_request");
    expect((await json(await post(path, { status: "live" }, show.hostKey))).room.status).toBe("live");
    expect((await json(await post(path, { status: "live" }, show.hostKey))).room.status).toBe("live");
    expect((await json(await post(path, { status: "ended" }, show.apiKey))).room.status).toBe("ended");
    await expectError(await post(path, { status: "live" }, show.hostKey), 409, "invalid_transition");
    expect((await json(await call(`/api/rooms/${show.room.id}`))).room.status).toBe("ended");
  });
});

describe("text with control characters", () => {
  // SQLite's length() stops at NUL, so "\u0000" used to fail the tables' CHECKs and answer 500.
  const CONTROLS = ["\u0000", "\u0007", "\t", "\n", "\r", "\u001f", "\u007f", "\u0085", "\u009f"];
  const count = async (table: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
  const counts = async () => Object.fromEntries(await Promise.all(["shops", "products", "rooms", "room_products", "orders"].map(async (t) => [t, await count(t)])));

  it("refuses them in every free-text field with a 400 naming the field, and writes nothing", async () => {
    const show = await createShow();
    const before = await counts();
    const refused = async (res: Response, field: string) => expect(await expectError(res, 400, "invalid_request")).toMatch(new RegExp(`^${field}: .*control characters`));
    const orderPath = `/api/rooms/${show.room.id}/orders`;
    const address = { line1: "1 Tea Road", line2: "Floor 2", city: "Hangzhou", postalCode: "310000", region: "Zhejiang", country: "CN" };
    const order = (buyer: Record<string, string>, addressFields: Record<string, string> = {}) =>
      call(orderPath, {
        method: "POST",
        headers: { "Idempotency-Key": `ctl-${crypto.randomUUID()}` },
        json: { productId: show.products[0].id, quantity: 1, buyer: { name: "Mei Lin", email: "mei@example.com", ...buyer }, fulfilment: { type: "shipping", address: { ...address, ...addressFields } } },
      });
    await refused(await post("/api/shops", { name: "\u0000" }), "name");
    for (const ch of CONTROLS) {
      await refused(await post("/api/shops", { name: `Lotus${ch}Tea` }), "name");
      await refused(await post(`/api/shops/${show.shop.id}/products`, { title: `Cu${ch}p`, priceCents: 100 }, show.apiKey), "title");
      await refused(await post(`/api/shops/${show.shop.id}/rooms`, { title: `Sh${ch}ow`, products: [{ productId: show.products[0].id, stock: 1 }] }, show.apiKey), "title");
      await refused(await order({ name: `Mei${ch}Lin` }), "buyer.name");
      await refused(await order({ phone: `555${ch}0100` }), "buyer.phone");
      for (const field of ["line1", "line2", "city", "postalCode", "region"]) {
        await refused(await order({}, { [field]: `x${ch}y` }), `fulfilment.address.${field}`);
      }
    }
    expect(await counts()).toEqual(before);
    // Nothing reached the room either: no units taken, no order for the studio.
    const room = (await json(await call(`/api/rooms/${show.room.id}`))).room;
    expect(room.products.map((p: any) => p.left)).toEqual([10, 10]);
    expect((await json(await call(orderPath, { key: show.hostKey }))).orders).toEqual([]);
  });

  it("keeps line breaks and tabs in a product description, and only there", async () => {
    const { shop, apiKey } = await json(await post("/api/shops", { name: "Tea" }));
    const path = `/api/shops/${shop.id}/products`;
    for (const ch of ["\u0000", "\u0008", "\u001b", "\u007f", "\u0085"]) {
      expect(await expectError(await post(path, { title: "Cup", priceCents: 1, description: `a${ch}b` }, apiKey), 400, "invalid_request")).toMatch(/^description: /);
    }
    // Windows line ends become \n, so every description breaks lines the same way.
    const res = await post(path, { title: "Oolong", priceCents: 1250, description: "Roasted.\n\n\tSteep 3 min.\r\nTwice." }, apiKey);
    expect(res.status).toBe(201);
    expect((await json(res)).product.description).toBe("Roasted.\n\n\tSteep 3 min.\nTwice.");
    expect((await json(await call(path))).products).toHaveLength(1);
  });

  it("refuses them in chat text and names with an invalid_message frame", async () => {
    const show = await createShow();
    const a = await open(show.room.id);
    const b = await open(show.room.id);
    await a.next("sync");
    await b.next("sync");
    for (const bad of [{ text: "hi\u0000" }, { text: "\u001b[2Jhi" }, { text: "line\nbreak" }, { text: "hi", name: "Mei\u0000" }, { text: "hi", name: "\u0085" }]) {
      a.send({ type: "chat", ...bad });
      expect((await a.next("error")).code).toBe("invalid_message");
    }
    a.send({ type: "chat", text: "你好 👋", name: "Mei" });
    expect((await b.next("chat")).message).toMatchObject({ text: "你好 👋", name: "Mei", seq: 1 });
  });
});

describe("the API document", () => {
  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/auth/claim", "/auth/email", "/auth/email-link", "/auth/email-link/sign-in", "/auth/me", "/auth/me/photo", "/auth/passkeys",
      "/auth/passkeys/register", "/auth/passkeys/register/options", "/auth/passkeys/sign-in", "/auth/passkeys/sign-in/options",
      "/auth/passkeys/{passkeyId}/revoke", "/auth/recovery-code", "/auth/sessions", "/auth/sessions/{sessionId}/revoke", "/auth/sign-out",
      "/docs", "/openapi.json", "/orders/{orderId}",
      "/rooms/{roomId}", "/rooms/{roomId}/calendar.ics", "/rooms/{roomId}/calls/ice-servers", "/rooms/{roomId}/calls/sessions/new",
      "/rooms/{roomId}/calls/sessions/{sessionId}", "/rooms/{roomId}/calls/sessions/{sessionId}/renegotiate",
      "/rooms/{roomId}/calls/sessions/{sessionId}/tracks/close", "/rooms/{roomId}/calls/sessions/{sessionId}/tracks/new",
      "/rooms/{roomId}/calls/sessions/{sessionId}/tracks/pause",
      "/rooms/{roomId}/deals", "/rooms/{roomId}/deals/end", "/rooms/{roomId}/events", "/rooms/{roomId}/events/stream", "/rooms/{roomId}/guest-link", "/rooms/{roomId}/links", "/rooms/{roomId}/moderation",
      "/rooms/{roomId}/numbers", "/rooms/{roomId}/numbers.csv", "/rooms/{roomId}/orders",
      "/rooms/{roomId}/pin", "/rooms/{roomId}/recording/takes", "/rooms/{roomId}/recording/takes/{takeId}",
      "/rooms/{roomId}/recording/takes/{takeId}/abort", "/rooms/{roomId}/recording/takes/{takeId}/chunks/{n}", "/rooms/{roomId}/recording/takes/{takeId}/close",
      "/rooms/{roomId}/rehearsal", "/rooms/{roomId}/replay", "/rooms/{roomId}/replay/events", "/rooms/{roomId}/replay/takes/{takeId}", "/rooms/{roomId}/role", "/rooms/{roomId}/rsvps", "/rooms/{roomId}/stage/remove", "/rooms/{roomId}/status", "/rooms/{roomId}/tickets",
      "/rooms/{roomId}/views",
      "/rsvps/confirm", "/rsvps/unsubscribe",
      "/shops", "/shops/by-slug/{slug}", "/shops/{shopId}/api-keys", "/shops/{shopId}/api-keys/{keyId}/revoke", "/shops/{shopId}/orders", "/shops/{shopId}/orders/{orderId}", "/shops/{shopId}/orders/{orderId}/cancel",
      "/shops/{shopId}/pickup", "/shops/{shopId}/products", "/shops/{shopId}/products/{productId}",
      "/shops/{shopId}/products/{productId}/photos", "/shops/{shopId}/products/{productId}/photos/order",
      "/shops/{shopId}/products/{productId}/photos/{photoId}", "/shops/{shopId}/products/{productId}/variants",
      "/shops/{shopId}/products/{productId}/variants/{variantId}", "/shops/{shopId}/referral-codes", "/shops/{shopId}/referral-codes/{code}", "/shops/{shopId}/rooms",
      "/shops/{shopId}/rooms/{roomId}", "/shops/{shopId}/rooms/{roomId}/cancel", "/shops/{shopId}/rooms/{roomId}/cover", "/shops/{shopId}/rooms/{roomId}/replay", "/shops/{shopId}/rooms/{roomId}/replay/thumbnail", "/shops/{shopId}/rooms/{roomId}/rsvps", "/shops/{shopId}/rooms/{roomId}/rsvps.csv",
      "/shops/{shopId}/rooms/{roomId}/trailer", "/shops/{shopId}/slug",
      "/shops/{shopId}/team", "/shops/{shopId}/team/invites", "/shops/{shopId}/team/invites/accept", "/shops/{shopId}/team/invites/preview",
      "/shops/{shopId}/team/invites/{inviteId}/revoke", "/shops/{shopId}/team/members/{accountId}/remove", "/shops/{shopId}/team/members/{accountId}/role",
      "/shops/{shopId}/team/shows/{roomId}/hosts", "/shops/{shopId}/team/shows/{roomId}/hosts/{accountId}/remove",
      "/shops/{shopId}/webhooks", "/shops/{shopId}/webhooks/deliveries/{deliveryId}/redeliver", "/shops/{shopId}/webhooks/{endpointId}",
      "/shops/{shopId}/webhooks/{endpointId}/deliveries", "/shops/{shopId}/webhooks/{endpointId}/rotate-secret", "/shops/{shopId}/webhooks/{endpointId}/test",
      "/webhooks/stripe",
    ]);
    const placeOrder = doc.paths["/rooms/{roomId}/orders"].post;
    expect(placeOrder.parameters).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header", required: true }));
    expect(doc.paths["/shops/{shopId}/rooms"].post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CreateRoom" });
    expect(doc.components.schemas.CreateProduct.required).toEqual(["title", "priceCents"]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("renders readable docs", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/shops/{shopId}/rooms");
    expect(html).toContain("Create a show");
    // Examples of what the routes take and answer, as text: JSON, and the calendar file as it is.
    expect(html).toContain("<summary>Example <small>application/json</small></summary>");
    expect(html).toContain("&quot;title&quot;: &quot;Spring tea tasting, live from the shop&quot;");
    expect(html).toContain("BEGIN:VCALENDAR");
    // Rendered by the Worker, so its security headers come from the Worker too.
    expect(res.headers.get("Content-Security-Policy")).toMatch(/^default-src 'self';.* frame-ancestors 'self'/);
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("answers unknown API routes with a JSON 404", async () => {
    await expectError(await call("/api/nothing-here"), 404, "not_found");
    await expectError(await call("/api/shops", { method: "DELETE" }), 404, "not_found");
  });
});
