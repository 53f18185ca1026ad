/**
 * A CPU profile of the Worker's isolate (the Worker and its Durable Objects,
 * which share it under `wrangler dev`), over the DevTools protocol of
 * wrangler's inspector: `start()` begins sampling, `stop()` ends it, writes
 * the profile (open it in Chromium's DevTools) and returns where the time
 * went, by function, most first. Time the runtime spends outside JavaScript
 * (its HTTP and WebSocket code) is `(program)`; an idle thread is `(idle)`.
 */
import { writeFileSync } from "node:fs";
import WebSocket from "ws";

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type Hotspot = { name: string; selfMs: number; share: number };

export async function profileIsolate(inspector: string, intervalUs = 200) {
  // The inspector takes a DevTools client from a local origin only.
  const ws = new WebSocket(inspector, { origin: "http://127.0.0.1" });
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`no inspector at ${inspector}`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, (result: any) => void>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.error ? Promise.reject(new Error(message.error.message)) : message.result);
    waiting.delete(message.id);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: intervalUs });
  await call("Profiler.start");
  return {
    /** Ends the profile, writes it to `file`, and returns the `top` functions by their own time. */
    async stop(file: string, top = 25): Promise<{ totalMs: number; hotspots: Hotspot[] }> {
      const { profile } = (await call("Profiler.stop")) as { profile: Profile };
      ws.close();
      writeFileSync(file, JSON.stringify(profile));
      return hotspots(profile, top);
    },
  };
}

/** Own time per function (by name and place), from the samples. */
export function hotspots(profile: Profile, top: number): { totalMs: number; hotspots: Hotspot[] } {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = byNode.get(nodeId)!.callFrame;
    const file = frame.url.split("/").pop() ?? "";
    const name = file ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}` : frame.functionName;
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  });
  const sorted = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs: total / 1000, hotspots: sorted.map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total })) };
}
