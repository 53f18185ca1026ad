/**
 * The show's calendar file (RFC 5545): the start as a UTC instant, an hour
 * long, the viewer link, an alarm 10 minutes before, a stable UID; line
 * folding and escaping; 404 / 409 as JSON. Time zones: a show planned at
 * 20:00 in Shanghai is 12:00 UTC, 13:00 in Stockholm in winter.
 */
import { describe, expect, it } from "vitest";
import { calendarFile, escapeText, foldLine } from "../worker/reminders/calendar.ts";
import { formatWhen } from "../worker/reminders/reminder-emails.ts";
import { call, expectError, scheduledShow } from "./helpers.ts";

/** The calendar's lines, unfolded (RFC 5545 §3.1). */
const unfold = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n");

describe("GET /api/rooms/{roomId}/calendar.ics", () => {
  it("is one event at the start's UTC instant, an hour long, with the viewer link and a 10-minute alarm", async () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    // 20:00 in Shanghai (UTC+8, no daylight saving), in January.
    const { room } = await scheduledShow(`${nextYear}-01-15T20:00:00+08:00`);
    const res = await call(`/api/rooms/${room.id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="${room.id}.ics"`);
    const ics = await res.text();
    expect(ics.endsWith("\r\n")).toBe(true);
    const lines = unfold(ics);
    expect(lines).toContain(`DTSTART:${nextYear}0115T120000Z`);
    expect(lines).toContain(`DTEND:${nextYear}0115T130000Z`);
    expect(lines).toContain("SUMMARY:Winter tea\\, tasted live");
    expect(lines).toContain(`URL:http://shop.test/r/${room.id}`);
    expect(lines.find((l) => l.startsWith("DESCRIPTION:Lotus Tea"))).toContain(`\\nhttp://shop.test/r/${room.id}`);
    expect(lines).toContain("TRIGGER:-PT10M");
    expect(lines).toContain(`UID:${room.id}@shop.test`);
    expect(lines.slice(0, 2)).toEqual(["BEGIN:VCALENDAR", "VERSION:2.0"]);
    for (const line of ics.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    // The same UID every time: importing it again updates the event.
    expect(unfold(await (await call(`/api/rooms/${room.id}/calendar.ics`)).text()).find((l) => l.startsWith("UID:"))).toBe(`UID:${room.id}@shop.test`);
  });

  it("says the same instant in every zone: 20:00 in Shanghai is 13:00 in Stockholm in winter", () => {
    const iso = new Date("2027-01-15T20:00:00+08:00").toISOString();
    expect(iso).toBe("2027-01-15T12:00:00.000Z");
    expect(formatWhen(iso, "en", "Europe/Stockholm")).toMatch(/1:00\s?PM GMT\+1/);
    expect(formatWhen(iso, "en", "Asia/Shanghai")).toMatch(/8:00\s?PM GMT\+8/);
    expect(formatWhen(iso, "en", null)).toMatch(/12:00\s?PM UTC/);
  });

  it("answers 404 for an unknown room and 409 for a show without a start, as JSON", async () => {
    await expectError(await call("/api/rooms/r_0000000000000000/calendar.ics"), 404, "not_found");
    await expectError(await call("/api/rooms/nope/calendar.ics"), 400, "invalid_request");
    const { room } = await scheduledShow(null);
    await expectError(await call(`/api/rooms/${room.id}/calendar.ics`), 409, "no_start");
  });
});

describe("the calendar writer", () => {
  it("escapes backslashes, semicolons, commas and newlines", () => {
    expect(escapeText("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
  });

  it("folds lines at 75 octets without splitting a UTF-8 character", () => {
    const line = `SUMMARY:${"茶".repeat(40)}`;
    const folded = foldLine(line);
    for (const part of folded.split("\r\n")) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    expect(foldLine("SHORT:ok")).toBe("SHORT:ok");
  });

  it("writes a title with a newline as one escaped line", () => {
    const ics = calendarFile({ roomId: "r_x", title: "Two\nlines", startsAt: "2027-01-15T12:00:00Z", viewerLink: "https://s.example/r/r_x", shopName: "S", host: "s.example" }, 0);
    expect(unfold(ics)).toContain("SUMMARY:Two\\nlines");
    expect(unfold(ics)).toContain("DTSTAMP:19700101T000000Z");
  });
});
