/**
 * The "Remind me" sheet (fetched on the first tap of RemindButton): add the
 * show to a calendar (the .ics file, or Google Calendar), or get an email
 * reminder: the address is sent once, and the sheet then says to check the
 * inbox (double opt-in: nothing is sent until the link in it is opened).
 */
import { useState } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { Sheet } from "../components/Sheet.tsx";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { origin, siteUrl } from "../origin.ts";
import { tReminders as t } from "../i18n-reminders.ts";
import { googleCalendarLink } from "./calendar-link.ts";
import type { RemindProps } from "./RemindButton.tsx";
import "../styles/remind.css";

type Sent = { email: string } | null;

export function RemindSheet(props: RemindProps & { onClose: () => void }) {
  const { roomId, title, startsAt, productId, productTitle, onClose } = props;
  const [email, setEmail] = useState("");
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Sent>(null);
  const [error, setError] = useState<string | null>(null);
  // The show's own site, also from the embed on a brand's page (origin.ts).
  const viewerLink = `${origin || location.origin}/r/${roomId}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    setError(null);
    try {
      await api(`/api/rooms/${roomId}/rsvps`, {
        method: "POST",
        body: {
          email: email.trim(),
          locale: lang.value,
          ...(productId ? { productId } : {}),
          ...(zone() ? { timeZone: zone() } : {}),
        },
      });
      setSent({ email: email.trim() });
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : "network";
      setError(
        code === "invalid_request"
          ? t("emailInvalid")
          : code === "rate_limited"
            ? t("emailRateLimited")
            : code === "show_ended" || code === "show_cancelled"
              ? t("emailShowOver")
              : caught instanceof ApiError && caught.status > 0
                ? caught.message
                : t("errorNetwork"),
      );
    } finally {
      setSending(false);
    }
  }

  return (
    <Sheet title={productId ? t("remindProductTitle") : t("remindTitle")} onClose={onClose}>
      <div class="remind" data-testid="remind-sheet">
        <p class="remind-show">
          <strong>{productTitle ?? title}</strong>
          <span>{t("remindWhen", { time: formatStartTime(startsAt, lang.value) })}</span>
        </p>
        {!productId && (
          <section class="remind-part">
            <h3 class="remind-heading">{t("calendarHeading")}</h3>
            <div class="remind-calendar">
              <a class="button button-quiet" href={siteUrl(`/api/rooms/${roomId}/calendar.ics`)} download={`${roomId}.ics`} data-testid="remind-ics">
                {t("calendarFile")}
              </a>
              <a class="button button-quiet" href={googleCalendarLink({ title, startsAt, viewerLink })} target="_blank" rel="noopener noreferrer" data-testid="remind-google">
                {t("calendarGoogle")}
              </a>
            </div>
          </section>
        )}
        <section class="remind-part">
          <h3 class="remind-heading">{productId ? t("emailProductHeading", { product: productTitle ?? "" }) : t("emailHeading")}</h3>
          {sent ? (
            <div class="remind-sent" role="status" data-testid="remind-sent">
              <p class="remind-sent-title">{t("emailCheck")}</p>
              <p>{t("emailCheckNote", { email: sent.email })}</p>
            </div>
          ) : (
            <form class="remind-form" onSubmit={submit} noValidate>
              <label class="remind-field">
                {t("emailLabel")}
                <input
                  type="email"
                  inputMode="email"
                  autocomplete="email"
                  required
                  maxLength={254}
                  value={email}
                  aria-invalid={error ? "true" : undefined}
                  data-testid="remind-email"
                  onInput={(event) => setEmail(event.currentTarget.value)}
                />
              </label>
              {error && (
                <p class="remind-error" role="alert">
                  {error}
                </p>
              )}
              <button type="submit" class="button button-primary button-wide" disabled={sending} data-testid="remind-send">
                {sending ? t("emailSending") : t("emailSend")}
              </button>
              <p class="remind-note">{productId ? t("emailProductNote") : t("emailNote")}</p>
            </form>
          )}
        </section>
      </div>
    </Sheet>
  );
}

/** The viewer's time zone, so the emails give the start in it. */
function zone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
