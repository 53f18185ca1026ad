import { describe, expect, it } from "vitest";
import { visitorLang } from "../worker/visitor-lang.ts";
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

  it("comes with the page: its words written in, the other language's left out, and the page says its language", async () => {
    const show = await createShow();
    const cases = [
      [{ "Accept-Language": "zh-CN,zh;q=0.9" }, "zh-CN", "直播中"],
      [{ "Accept-Language": "zh-CN", Cookie: "lang=en" }, "en", "LIVE"],
    ] as const;
    for (const [headers, lang, live] of cases) {
      const res = await call(`/r/${show.room.id}`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("Vary")).toBe("Accept-Language, Cookie");
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}">`);
      const blocks = [...html.matchAll(/<script type="application\/json" id="([^"]+)">([^<]*)<\/script>/g)];
      expect(blocks.map((block) => block[1])).toEqual([`catalogue:${lang}`]);
      const tables = JSON.parse(blocks[0]![2]!) as Record<string, Record<string, string>>;
      expect(Object.values(tables).some((table) => table.live === live)).toBe(true);
      // The file is still named, for a page that must fetch it (and for the other language's switch).
      expect(html).toMatch(new RegExp(`<meta name="catalogue:${lang}" content="/assets/catalogue-${lang}-[\\w-]{8}\\.json">`));
    }
  });
});
