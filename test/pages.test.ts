import { describe, expect, it } from "vitest";
import { visitorLang } from "../worker/pages.ts";
import { call, createShow } from "./helpers.ts";

const request = (headers: Record<string, string>) => new Request("http://shop.test/r/r_x", { headers });

describe("the viewer page's language", () => {
  it("is the saved choice, else the browser's first language we have, else English", () => {
    expect(visitorLang(request({ Cookie: "a=1; lang=zh-CN", "Accept-Language": "en-US,en" }))).toBe("zh-CN");
    expect(visitorLang(request({ Cookie: "lang=en", "Accept-Language": "zh-CN" }))).toBe("en");
    expect(visitorLang(request({ Cookie: "lang=fr", "Accept-Language": "zh-TW,zh;q=0.9" }))).toBe("zh-CN");
    expect(visitorLang(request({ "Accept-Language": "fr-FR,fr;q=0.9,zh-CN;q=0.8,en;q=0.7" }))).toBe("zh-CN");
    expect(visitorLang(request({ "Accept-Language": "en;q=0.5, zh;q=0.9" }))).toBe("zh-CN");
    expect(visitorLang(request({ "Accept-Language": "zh;q=0, en" }))).toBe("en");
    expect(visitorLang(request({ "Accept-Language": "de" }))).toBe("en");
    expect(visitorLang(request({}))).toBe("en");
  });

  it("comes with the page: its words are preloaded beside the script, and the page says its language", async () => {
    const show = await createShow();
    for (const [headers, lang] of [[{ "Accept-Language": "zh-CN,zh;q=0.9" }, "zh-CN"], [{ "Accept-Language": "zh-CN", Cookie: "lang=en" }, "en"]] as const) {
      const res = await call(`/r/${show.room.id}`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("Vary")).toBe("Accept-Language, Cookie");
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}">`);
      const preloads = [...html.matchAll(/<link rel="preload" as="fetch" crossorigin href="([^"]+)">/g)].map((m) => m[1]);
      expect(preloads).toEqual([expect.stringMatching(new RegExp(`^/assets/catalogue-${lang}-[\\w-]{8}\\.json$`))]);
    }
  });
});
