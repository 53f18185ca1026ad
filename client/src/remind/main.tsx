/**
 * The page the links in reminder emails open: `/remind#confirm=rc_…` turns a
 * reminder on (double opt-in), `/remind#unsubscribe=us_…` turns it off. The
 * token is in the fragment, which never reaches a server in a request line
 * or a log; the page sends it in a POST body and takes it out of the
 * address bar.
 */
import { effect } from "@preact/signals";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { TopBar } from "../components/TopBar.tsx";
import { tReminders as t } from "../i18n-reminders.ts";
import "../styles/order.css";

type Action = { kind: "confirm" | "unsubscribe"; token: string } | null;
type Outcome = "working" | "done" | "bad_link" | "network";

function takeAction(): Action {
  const params = new URLSearchParams(location.hash.slice(1));
  const confirm = params.get("confirm");
  const unsubscribe = params.get("unsubscribe");
  if (confirm || unsubscribe) history.replaceState(history.state, "", location.pathname + location.search);
  return confirm ? { kind: "confirm", token: confirm } : unsubscribe ? { kind: "unsubscribe", token: unsubscribe } : null;
}

function RemindPage({ action }: { action: Action }) {
  const [outcome, setOutcome] = useState<Outcome>(action ? "working" : "bad_link");
  const [confirmed, setConfirmed] = useState<{ viewerLink: string; productId: string | null } | null>(null);

  useEffect(() => {
    if (!action) return;
    const path = action.kind === "confirm" ? "/api/rsvps/confirm" : "/api/rsvps/unsubscribe";
    api<{ rsvp?: { viewerLink: string; productId: string | null } }>(path, { method: "POST", body: { token: action.token } }).then(
      (answer) => {
        if (answer.rsvp) setConfirmed(answer.rsvp);
        setOutcome("done");
      },
      (error: unknown) => setOutcome(error instanceof ApiError && error.status > 0 ? "bad_link" : "network"),
    );
  }, []);

  const [title, note] =
    outcome === "working"
      ? [action?.kind === "confirm" ? t("pageConfirming") : t("pageUnsubscribing"), ""]
      : outcome === "network"
        ? [t("pageBadLink"), t("errorNetwork")]
        : outcome === "bad_link"
          ? [t("pageBadLink"), action ? t("pageBadLinkNote") : t("pageNoLink")]
          : action?.kind === "confirm"
            ? [t("pageConfirmed"), confirmed?.productId ? t("pageConfirmedProductNote") : t("pageConfirmedNote")]
            : [t("pageUnsubscribed"), t("pageUnsubscribedNote")];

  return (
    <>
      <TopBar />
      <main class="order-page">
        <section class="card order-problem" data-testid="remind-page" data-outcome={outcome} role={outcome === "working" ? undefined : "status"}>
          <h1>{title}</h1>
          {note && <p>{note}</p>}
          {confirmed && (
            <a class="button button-primary" href={confirmed.viewerLink} data-testid="remind-open-show">
              {t("pageOpenShow")}
            </a>
          )}
        </section>
      </main>
    </>
  );
}

effect(() => {
  document.title = `${t("remindTitle")} · shop-along`;
});

// Another link opened in this same tab (only its fragment differs): the page starts again with it.
addEventListener("hashchange", () => location.reload());

render(<RemindPage action={takeAction()} />, document.getElementById("app")!);
