/**
 * `npm run bench:rate-limits`: what counting a call against its caller's
 * quota (one RPC to the caller's ApiQuota Durable Object, before the route
 * runs) adds to an API call. The Worker reports the wait in each answer's
 * `Server-Timing: quota;dur=…`; the whole call is timed here. Loopback
 * only, against `wrangler dev`; each caller stays under its 600 calls a
 * minute, so nothing here is refused.
 *
 *   N=400 npm run bench:rate-limits
 */
import { api, startStack } from "../scripts/stack.ts";
import { writeSection } from "./results.ts";

const N = Number(process.env.N ?? 400);
const CONCURRENT = Number(process.env.CONCURRENT ?? 8);

type Sample = { totalMs: number; quotaMs: number };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function timed(url: string, headers: Record<string, string>): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const totalMs = performance.now() - started;
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  const quota = /quota;dur=([\d.]+)/.exec(res.headers.get("Server-Timing") ?? "");
  if (!quota) throw new Error(`${url}: no Server-Timing quota in the answer`);
  return { totalMs, quotaMs: Number(quota[1]) };
}

/** `count` calls, `parallel` at a time. */
async function run(count: number, parallel: number, call: () => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        samples.push(await call());
      }
    }),
  );
  return samples;
}

const stack = await startStack({ video: false });
try {
  const origin = stack.origin;
  const shopWithProducts = async (name: string) => {
    const made = await api(origin, "/api/shops", { name });
    await api(origin, `/api/shops/${made.shop.id}/products`, { title: "Mug", priceCents: 1200 }, made.apiKey);
    return made as { shop: { id: string; slug: string }; apiKey: string };
  };
  // One shop (one key, one counter) per case, so that no case shares a minute's quota with another.
  const [one, many] = await Promise.all([shopWithProducts("Quota bench one"), shopWithProducts("Quota bench many")]);
  const { slug } = await api(origin, `/api/shops/${one.shop.id}/slug`, undefined, one.apiKey);
  const withKey = (key: string, shopId: string) => () => timed(`${origin}/api/shops/${shopId}/products`, { Authorization: `Bearer ${key}` });

  // Warm-up: the first calls start the objects and compile the routes.
  await run(20, 1, withKey(one.apiKey, one.shop.id));
  const cases = [
    { name: "a key's calls, one at a time", samples: await run(N, 1, withKey(one.apiKey, one.shop.id)) },
    { name: `a key's calls, ${CONCURRENT} at a time`, samples: await run(N, CONCURRENT, withKey(many.apiKey, many.shop.id)) },
    { name: "calls without a credential (per address), one at a time", samples: await run(Math.min(N, 500), 1, () => timed(`${origin}/api/shops/by-slug/${slug}`, {})) },
  ];

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const rows = cases.map(({ name, samples }) => {
    const quota = samples.map((s) => s.quotaMs).sort((a, b) => a - b);
    const total = samples.map((s) => s.totalMs).sort((a, b) => a - b);
    const share = samples.reduce((sum, s) => sum + s.quotaMs, 0) / samples.reduce((sum, s) => sum + s.totalMs, 0);
    return { name, n: samples.length, quota: [50, 95, 99].map((p) => percentile(quota, p)), total: [50, 95, 99].map((p) => percentile(total, p)), share };
  });
  console.table(rows.map((r) => ({ case: r.name, n: r.n, "quota p50/p95/p99": r.quota.map(ms).join(" / "), "call p50/p95/p99": r.total.map(ms).join(" / "), share: `${Math.round(r.share * 100)} %` })));
  writeSection(
    "rate-limits",
    `## Rate limits: what counting a call adds (\`npm run bench:rate-limits\`)

Every API call is first counted by its caller's ApiQuota Durable Object (one RPC). The Worker reports that wait in
\`Server-Timing: quota;dur=…\`; the whole call (\`GET /api/shops/{id}/products\` with a key, \`GET /api/shops/by-slug/{slug}\`
without one) is timed by the client, on loopback against \`wrangler dev\` (${new Date().toISOString().slice(0, 10)}, N = ${N} per case,
after 20 warm-up calls). Locally the Worker and the objects share one workerd; on Cloudflare a caller's object is placed
near where it was first asked, usually near that caller, so the hop adds a round trip inside that region. workerd's
clock moves in whole milliseconds, so the count's figures are rounded to them.

| case | n | count p50 / p95 / p99 | whole call p50 / p95 / p99 | share of the call |
| --- | ---: | ---: | ---: | ---: |
${rows.map((r) => `| ${r.name} | ${r.n} | ${r.quota.map(ms).join(" / ")} | ${r.total.map(ms).join(" / ")} | ${Math.round(r.share * 100)} % |`).join("\n")}`,
  );
} finally {
  await stack.stop();
}
