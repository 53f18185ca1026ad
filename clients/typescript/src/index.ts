/**
 * @shop-along/client: the Shop-along HTTP API, typed end to end. The paths,
 * parameters, bodies and answers come from the API's OpenAPI document
 * (src/schema.ts, generated); the calls are openapi-fetch's.
 *
 * @example
 * const api = shopAlong({ baseUrl: "http://localhost:8787/api", apiKey: "sk_…" });
 * const { data, error } = await api.GET("/shops/{shopId}/orders", { params: { path: { shopId } } });
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.ts";

export type { components, paths };
/** The API's error body, `{ error: { code, message } }`, as every 4xx answer carries it. */
export type ApiError = components["schemas"]["Error"];
export type ShopAlong = Client<paths>;

export type ShopAlongOptions = Omit<ClientOptions, "baseUrl"> & {
  /** The API's root, e.g. `https://shop.example.com/api`. */
  baseUrl: string;
  /** A shop's API key (`sk_…`), or a room's host key (`hk_…`) for its room's controls; sent as `Authorization: Bearer`. */
  apiKey?: string;
};

/** A client for one deployment, optionally with a key that every call carries. */
export function shopAlong({ apiKey, headers, ...options }: ShopAlongOptions): ShopAlong {
  return createClient<paths>({ ...options, headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...(headers as Record<string, string> | undefined) } });
}
