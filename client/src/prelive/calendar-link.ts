/** The show in Google Calendar: the same event as the .ics file (start as a UTC instant, an hour, the viewer link). */
/** 20261201T120000Z: the UTC form of an iCalendar DATE-TIME (the .ics file uses it too). */
export const utcStamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export function googleCalendarLink(show: { title: string; startsAt: string; viewerLink: string }): string {
  const start = Date.parse(show.startsAt);
  const params = new URLSearchParams({
    action: "TEMPLATE",
    text: show.title,
    dates: `${utcStamp(start)}/${utcStamp(start + 60 * 60_000)}`,
    details: show.viewerLink,
    location: show.viewerLink,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}
