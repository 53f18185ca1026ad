/**
 * A show as a calendar event (RFC 5545): one VEVENT at the start as a UTC
 * instant (so every calendar shows it in its own zone), an hour long, with
 * the viewer link as its URL and in its description, and an alarm ten
 * minutes before. Its UID is the room's, so a calendar that imports the file
 * again updates the event instead of adding a second one.
 */
import { utcStamp } from "../../client/src/prelive/calendar-link.ts";

export type CalendarShow = { roomId: string; title: string; startsAt: string; viewerLink: string; shopName: string; host: string };

const DURATION_MS = 60 * 60_000;


/** TEXT values: backslash, semicolon, comma and newlines escaped. */
export const escapeText = (text: string) => text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");

/** Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; each continuation line starts with a space, so 74 more.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function calendarFile(show: CalendarShow, now = Date.now()): string {
  const start = Date.parse(show.startsAt);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Shop-along//Show calendar//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${show.roomId}@${show.host}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART:${utcStamp(start)}`,
    `DTEND:${utcStamp(start + DURATION_MS)}`,
    `SUMMARY:${escapeText(show.title)}`,
    `DESCRIPTION:${escapeText(`${show.shopName} · live shopping\n${show.viewerLink}`)}`,
    `URL:${show.viewerLink}`,
    `LOCATION:${escapeText(show.viewerLink)}`,
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${escapeText(show.title)}`,
    "TRIGGER:-PT10M",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
