/**
 * Where a webhook may be sent (SSRF). In production: https only, and never
 * to a private, loopback, link-local or otherwise internal address, neither
 * as an IP literal nor as a name that resolves to one. Names are resolved
 * over DNS-over-HTTPS when the endpoint is saved and again before every
 * attempt, since DNS can change. Under `npm start`, the e2e stack and the
 * tests (`WEBHOOK_ALLOW_LOCAL=true`, set only there) plain-http localhost /
 * 127.0.0.1 receivers are allowed too, so a developer can watch deliveries.
 */
const DOH = "https://cloudflare-dns.com/dns-query";

export const allowsLocal = (env: Env) => env.WEBHOOK_ALLOW_LOCAL === "true";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why `raw` may not be an endpoint, or null when its form is fine (names still have to resolve well: `checkAddresses`). */
export function urlProblem(raw: string, local: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "url: not an absolute URL";
  }
  if (url.username || url.password) return "url: must not carry a user name or password";
  if (local && LOCAL_HOSTS.has(url.hostname) && (url.protocol === "http:" || url.protocol === "https:")) return null;
  if (url.protocol !== "https:") return local ? "url: must be https (or http://localhost / 127.0.0.1 on this local deployment)" : "url: must be https";
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal") || !host.includes(".") && !host.startsWith("[")) {
    return "url: must be a public host name, not a local one";
  }
  if (isIpLiteral(host) && isPrivateAddress(host)) return "url: must not point at a private, loopback or link-local address";
  return null;
}

const isIpLiteral = (host: string) => host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

/** Whether an IPv4 or IPv6 address (brackets allowed) is one a public webhook must never reach. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = ip.match(/^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19)) || a >= 224
    );
  }
  if (!ip.includes(":")) return true;
  if (ip === "::" || ip === "::1") return true;
  const first = parseInt(ip.split(":")[0] || "0", 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast; ::ffff:hex forms and the rest of ::/96 are mapped v4.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || ip.startsWith("::ffff:") || ip.startsWith("64:ff9b:");
}

/** Resolves a name's A and AAAA records over DNS-over-HTTPS. */
async function resolve(name: string): Promise<string[]> {
  const answers = await Promise.all(
    ["A", "AAAA"].map(async (type) => {
      const res = await fetch(`${DOH}?name=${encodeURIComponent(name)}&type=${type}`, { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`DNS-over-HTTPS answered ${res.status}`);
      const body = (await res.json()) as { Answer?: { type: number; data: string }[] };
      return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data);
    }),
  );
  return answers.flat();
}

/**
 * Why the endpoint may not be reached now, or null when it may: the form rules, then (in production, for a name)
 * every address it resolves to must be public.
 */
export async function addressProblem(raw: string, env: Env): Promise<string | null> {
  const local = allowsLocal(env);
  const problem = urlProblem(raw, local);
  if (problem) return problem;
  const host = new URL(raw).hostname;
  if ((local && LOCAL_HOSTS.has(host)) || isIpLiteral(host)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    return `url: ${host} could not be resolved (${String(error)})`;
  }
  if (!addresses.length) return `url: ${host} does not resolve to any address`;
  if (addresses.some(isPrivateAddress)) return `url: ${host} resolves to a private, loopback or link-local address`;
  return null;
}
