/**
 * The Worker: the public HTTP API under /api, the room sockets under
 * /parties/room/{roomId}, and the pages that take a room id. Everything else
 * is a static asset of the client, served before this code runs. It is also
 * the consumer of the email, recording and webhook queues (worker/email/,
 * worker/recording/, worker/webhooks/) and runs the webhook sweep on a cron.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { refuseCrossSiteWrites } from "./accounts/csrf.ts";
import type { AppEnv } from "./app-env.ts";
import { docsRoute, openApiRoute, renderDocs } from "./docs.ts";
import { embedCors } from "./embed-cors.ts";
import { deliverEmails } from "./email/deliver-emails.ts";
import { extensions } from "./extensions/routes.ts";
import { ApiError, renderError } from "./errors.ts";
import { isUpload } from "./media/upload-limit.ts";
import { completeDocument, type Document } from "./openapi-document.ts";
import { pages } from "./pages.ts";
import { apiRateLimits } from "./rate-limits/api-rate-limits.ts";
import { finalizeRecordings, isRecordingQueue } from "./recording/finalize.ts";
import { library } from "./recording/library-routes.ts";
import { replay } from "./recording/replay-routes.ts";
import { recording } from "./recording/routes.ts";
import { apiKeys } from "./routes/api-keys.ts";
import { auth } from "./routes/auth.ts";
import { calls } from "./routes/calls.ts";
import { deals } from "./routes/deals.ts";
import { moderation } from "./routes/moderation.ts";
import { numbers } from "./numbers/routes.ts";
import { orders } from "./routes/orders.ts";
import { photoFiles, photos } from "./routes/photos.ts";
import { products } from "./routes/products.ts";
import { profile } from "./routes/profile.ts";
import { referrals } from "./routes/referrals.ts";
import { rehearsal } from "./routes/rehearsal.ts";
import { replayEvents } from "./routes/replay-events.ts";
import { rooms } from "./routes/rooms.ts";
import { rsvps } from "./routes/rsvps.ts";
import { webhooks } from "./routes/webhooks.ts";
import { deliverWebhooks, isWebhookQueue } from "./webhooks/deliver.ts";
import { sweepDeliveries } from "./webhooks/events.ts";
import { webhookEndpoints } from "./webhooks/routes.ts";
import { shopPage } from "./routes/shop-page.ts";
import { shopShows } from "./routes/shop-shows.ts";
import { showMedia } from "./routes/show-media.ts";
import { shops } from "./routes/shops.ts";
import { team } from "./routes/team.ts";
import { securityHeaders } from "./security-headers.ts";
import { routeRoomSocket } from "./sockets.ts";
import { validationHook } from "./validation.ts";

export { Room } from "../durable-objects/room.ts";
export { AudienceShard } from "../durable-objects/audience-shard.ts";
export { ApiQuota } from "./rate-limits/api-quota.ts";

const MAX_BODY_BYTES = 64 * 1024;

const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const jsonBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, "payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KB.`);
  },
});
// First: every API call counts against its caller's quota, and every answer says where it stands (rate-limits/).
api.use(apiRateLimits());
// An upload (a photo, a show's cover or trailer) has its own, larger limit (media/upload-limit.ts); every other body stays within 64 KB.
api.use((c, next) => (isUpload(c.req.method, c.req.path) ? next() : jsonBodyLimit(c, next)));
// The embed's calls from brands' pages (another origin): their preflights, and CORS on their answers.
api.use(embedCors());
// Before any handler: a write that carries the session cookie must come from this site's own pages.
api.use(refuseCrossSiteWrites());
api.route("/auth", auth);
api.route("/auth", profile);
// First among the shop routes: /shops/by-slug/{slug} must never be read as /shops/{shopId}/….
api.route("/shops", shopPage);
api.route("/shops", shops);
api.route("/shops", shopShows);
api.route("/shops", showMedia);
api.route("/shops", apiKeys);
api.route("/shops", referrals);
api.route("/shops", products);
api.route("/shops", photos);
api.route("/shops", team);
api.route("/shops", library);
api.route("/shops", webhookEndpoints);
api.route("/rooms", rooms);
api.route("/rooms", rehearsal);
api.route("/rooms", replayEvents);
api.route("/rooms", deals);
api.route("/rooms", moderation);
api.route("/rooms", calls);
api.route("/rooms", recording);
api.route("/rooms", replay);
api.route("/rooms", numbers);
api.route("/rooms", extensions);
api.route("/", orders);
api.route("/", rsvps);
api.route("/webhooks", webhooks);

api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description: "A shop's API key (sk_...), or for room controls the room's host key (hk_...); a room's moderator key (mk_...) for its chat's moderation and socket ticket, its guest key (gk_...) for its socket ticket.",
});
api.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "__Host-session",
  description:
    "A signed-in browser's session (set by the /api/auth sign-in routes; named `session` on plain-http localhost). Writes with it must come from this site (Origin checked).",
});
api.openAPIRegistry.registerComponent("securitySchemes", "sessionToken", {
  type: "apiKey",
  in: "header",
  name: "X-Session-Token",
  description: "The sessionToken returned when a Calls session was opened through the room.",
});

const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "Shop-along API",
    version: "1.0.0",
    description:
      "Live shopping at the edge: create a shop, add products, open a show and get its share link; pin products and run the show. Errors are JSON: {\"error\": {\"code\", \"message\"}}.",
  },
};
api.openAPIRegistry.registerPath(openApiRoute);
api.openAPIRegistry.registerPath(docsRoute);
const openApiDocument = (servers: { url: string }[] = []) => completeDocument(api.getOpenAPI31Document({ ...OPENAPI_CONFIG, servers }) as unknown as Document);
api.get("/openapi.json", (c) => c.json(openApiDocument([{ url: `${new URL(c.req.url).origin}/api` }])));
api.get("/docs", (c) => c.html(renderDocs(openApiDocument() as never)));
api.onError(renderError);

const app = new OpenAPIHono<AppEnv>();
// First, so that it also sees the responses of onError and notFound.
app.use(securityHeaders);
app.route("/api", api);
app.route("/", pages);
app.route("/photos", photoFiles);
app.all("/parties/*", async (c) => (await routeRoomSocket(c.req.raw, c.env)) ?? c.json({ error: { code: "not_found", message: "No such room." } }, 404));
app.notFound((c) =>
  c.req.path.startsWith("/api/")
    ? c.json({ error: { code: "not_found", message: `No API route ${c.req.method} ${c.req.path}. See /api/docs.` } }, 404)
    : c.env.ASSETS.fetch(c.req.raw),
);
app.onError(renderError);

export default {
  fetch: app.fetch,
  queue: (batch, env) =>
    isRecordingQueue(batch.queue) ? finalizeRecordings(batch, env) : isWebhookQueue(batch.queue) ? deliverWebhooks(batch, env) : deliverEmails(batch, env),
  /** The cron: webhook deliveries a failed queue send (or a crash) left unqueued go now. */
  scheduled: async (_controller, env) => void (await sweepDeliveries(env)),
  /** Hono's `app.request(path, init, env)`, for tests that call the app with bindings of their own. */
  request: app.request,
  /** Every route the app answers, for the test that holds the OpenAPI document to them (test/openapi-complete.test.ts). */
  routes: app.routes,
  /** The routes' zod schemas, for the test that holds the document's examples to them (test/openapi-complete.test.ts). */
  openAPIRegistry: app.openAPIRegistry,
} satisfies ExportedHandler<Env> & Pick<typeof app, "request" | "routes" | "openAPIRegistry">;
