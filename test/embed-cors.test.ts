/**
 * Cross-origin access for the embed (worker/embed-cors.ts): a brand's page
 * on another origin may make exactly the player's calls (preflights
 * answered, its origin echoed, never credentials), and nothing else; the
 * CSRF guard still refuses a cross-site write that carries the session
 * cookie, while the embed's token-based calls pass.
 */
import { describe, expect, it } from "vitest";
import { call, createShow, expectError, json } from "./helpers.ts";
import { ownedShow, send } from "./team-helpers.ts";

const BRAND = "https://brand.example";

const preflight = (path: string, method: string, headers = "content-type, x-viewer-token") =>
  call(path, { method: "OPTIONS", headers: { Origin: BRAND, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers } });

describe("CORS for the embed", () => {
  it("answers the player's preflights and marks its answers readable by the brand's page, without credentials", async () => {
    const { room } = await createShow();
    const ticketPath = `/api/rooms/${room.id}/tickets`;
    const res = await preflight(ticketPath, "POST");
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(BRAND);
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("POST");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("x-viewer-token");
    expect(res.headers.get("Access-Control-Allow-Headers")).not.toContain("authorization");
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBeNull();
    expect(res.headers.get("Vary")).toContain("Origin");

    // The ticket itself: a viewer identity comes back in the body, to be kept in the embed's storage (no cookie).
    const ticket = await call(ticketPath, { method: "POST", headers: { Origin: BRAND } });
    expect(ticket.status).toBe(201);
    expect(ticket.headers.get("Access-Control-Allow-Origin")).toBe(BRAND);
    expect(ticket.headers.get("Set-Cookie")).toBeNull();
    const { viewer } = await json(ticket);
    expect(viewer.token).toMatch(/^vt_/);

    for (const [path, method] of [
      [`/api/rooms/${room.id}`, "GET"],
      [`/api/rooms/${room.id}/orders`, "POST"],
      [`/api/rooms/${room.id}/calls/ice-servers`, "GET"],
      [`/api/rooms/${room.id}/calls/sessions/new`, "POST"],
      [`/api/rooms/${room.id}/calls/sessions/abc/tracks/new`, "POST"],
      [`/api/rooms/${room.id}/calls/sessions/abc/renegotiate`, "PUT"],
      [`/api/shops/by-slug/lotus-tea`, "GET"],
    ] as const) {
      const answer = await preflight(path, method, "content-type, idempotency-key");
      expect(answer.status, `${method} ${path}`).toBe(204);
      expect(answer.headers.get("Access-Control-Allow-Origin"), `${method} ${path}`).toBe(BRAND);
    }
  });

  it("puts its CORS headers on errors too, so the player can read why (here, a bad order)", async () => {
    const { room } = await createShow();
    const res = await call(`/api/rooms/${room.id}/orders`, { method: "POST", headers: { Origin: BRAND, "Idempotency-Key": "bad-body-1" }, json: { productId: "nope" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(BRAND);
    expect((await json(res)).error.code).toBeTypeOf("string");
  });

  it("gives other routes and other methods no CORS: a brand's page cannot read keys, studio controls or shops' orders", async () => {
    const { shop, room } = await createShow();
    for (const [path, method] of [
      [`/api/rooms/${room.id}/pin`, "POST"],
      [`/api/rooms/${room.id}/status`, "POST"],
      [`/api/rooms/${room.id}/links`, "GET"],
      [`/api/shops/${shop.id}/orders`, "GET"],
      [`/api/shops/${shop.id}/products`, "POST"],
      [`/api/rooms/${room.id}/calls/sessions/abc/tracks/pause`, "PUT"],
      [`/api/rooms/${room.id}`, "DELETE"],
      [`/api/auth/me`, "GET"],
    ] as const) {
      const answer = await preflight(path, method);
      expect(answer.headers.get("Access-Control-Allow-Origin"), `${method} ${path}`).toBeNull();
    }
    // A plain read of a route without CORS carries none either.
    const links = await call(`/api/rooms/${room.id}/links`, { headers: { Origin: BRAND } });
    expect(links.headers.get("Access-Control-Allow-Origin")).toBeNull();
    // A preflight that asks for the Authorization header on an embed route is not granted it.
    const withKey = await preflight(`/api/rooms/${room.id}/tickets`, "POST", "authorization");
    expect(withKey.headers.get("Access-Control-Allow-Headers")).not.toContain("authorization");
  });

  it("still refuses a cross-site write with the session cookie, on the embed's own routes too; without the cookie it passes", async () => {
    const { room, products, owner } = await ownedShow();
    const order = { productId: products[0].id, quantity: 1, buyer: { name: "Mei", email: "mei@example.com" }, fulfilment: { type: "pickup" } };
    await expectError(
      await send(owner, `/api/rooms/${room.id}/orders`, { json: order, headers: { Origin: BRAND, "Idempotency-Key": "csrf-order-1" } }),
      403,
      "cross_site_request",
    );
    await expectError(await send(owner, `/api/rooms/${room.id}/tickets`, { method: "POST", headers: { Origin: BRAND } }), 403, "cross_site_request");
    // The embed's call: the same order from the brand's page, with no cookie.
    const placed = await call(`/api/rooms/${room.id}/orders`, { method: "POST", headers: { Origin: BRAND, "Idempotency-Key": "embed-order-1" }, json: order });
    expect(placed.status, await placed.clone().text()).toBe(201);
    expect(placed.headers.get("Access-Control-Allow-Origin")).toBe(BRAND);
    const { orderToken } = await json(placed);
    expect(orderToken).toBeTypeOf("string");
  });
});
