import { LangSwitch } from "../components/LangSwitch.tsx";
import { tViewer as t } from "../i18n.ts";

/** A dead end that says why and offers the way out (also the whole 404 page). */
export function DeadEnd({ testId, mark, title, body }: { testId: string; mark?: string; title: string; body: string }) {
  return (
    <main class="not-found" data-testid={testId}>
      <LangSwitch class="chip not-found-lang" />
      {mark && (
        <p class="not-found-mark" aria-hidden="true">
          {mark}
        </p>
      )}
      <h1>{title}</h1>
      <p>{body}</p>
      <a class="button button-primary" href="/">
        {t("notFoundAction")}
      </a>
    </main>
  );
}

/** The room does not exist. */
export const NotFound = () => <DeadEnd testId="not-found" mark="404" title={t("notFoundTitle")} body={t("notFoundBody")} />;

/** A guest link whose key the room refused. */
export const GuestKeyRejected = () => (
  <DeadEnd testId="key-rejected" title={t("guestRejectedTitle")} body={t("guestRejectedBody")} />
);
