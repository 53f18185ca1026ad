/**
 * A shop's referral codes: one per person who shares its shows (a KOL, a
 * KOC, a store's staff), each with its share links and what it sold.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.ts";
import { requireShopAccess, shopAccessSecurity } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { createCode, deleteCode, referralReport } from "../referrals/store.ts";
import { CreateReferralCode, ReferralCodeCreated, ReferralCodeList, ReferralCodeParams, ShopParams } from "../schemas.ts";
import { validationHook } from "../validation.ts";

export const referrals = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const originOf = (c: { env: Env; req: { url: string } }) => c.env.PUBLIC_URL || new URL(c.req.url).origin;

referrals.openapi(
  createRoute({
    method: "post",
    path: "/{shopId}/referral-codes",
    tags: ["Referral codes"],
    summary: "Name a referral code",
    description: "A code for one person who shares the shop's shows; orders from a viewer link with `?ref=<code>` count for it.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams, body: jsonBody(CreateReferralCode) },
    responses: { 201: jsonContent(ReferralCodeCreated, "The code, with what it sold so far"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  }),
  async (c) => {
    const shop = c.get("shop");
    const { code, name } = c.req.valid("json");
    if (!(await createCode(c.env.DB, shop.id, code, name, Date.now()))) {
      throw new ApiError(409, "code_taken", `The shop already has the code "${code}". Pick another, or delete that one first.`);
    }
    const [referralCode] = await referralReport(c.env.DB, shop.id, originOf(c), code);
    return c.json({ referralCode: referralCode! }, 201);
  },
);

referrals.openapi(
  createRoute({
    method: "get",
    path: "/{shopId}/referral-codes",
    tags: ["Referral codes"],
    summary: "Referral codes and what each sold",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ShopParams },
    responses: { 200: jsonContent(ReferralCodeList, "Every code with its orders, units and revenue, per show and in total"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const shop = c.get("shop");
    return c.json({ referralCodes: await referralReport(c.env.DB, shop.id, originOf(c)), currency: shop.currency }, 200);
  },
);

referrals.openapi(
  createRoute({
    method: "delete",
    path: "/{shopId}/referral-codes/{code}",
    tags: ["Referral codes"],
    summary: "Delete a referral code",
    description: "Its orders keep their code; it then shows as a code without a name.",
    security: shopAccessSecurity,
    middleware: [requireShopAccess("owner", "manager")] as const,
    request: { params: ReferralCodeParams },
    responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { code } = c.req.valid("param");
    if (!(await deleteCode(c.env.DB, c.get("shop").id, code))) throw notFound(`Referral code ${code}`);
    return c.body(null, 204);
  },
);
