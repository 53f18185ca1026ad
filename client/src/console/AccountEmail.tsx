import { useState } from "preact/hooks";
import { confirmEmail, me } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { problemText } from "./SignIn.tsx";

/** The account's email for sign-in links: shown once confirmed; otherwise, a form that sends the confirmation link. */
export function AccountEmail() {
  const email = me.value?.account.email ?? null;
  const [typed, setTyped] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      await confirmEmail(typed.trim());
      setSent(typed.trim());
    } catch (caught) {
      setError(problemText(caught));
    }
  }

  return (
    <section class="card console-card" aria-labelledby="email-title">
      <h2 class="card-title" id="email-title">
        {t("emailTitle")}
      </h2>
      {email ? (
        <p class="small" data-testid="account-email">{t("emailIs", { email })}</p>
      ) : (
        <form class="add-passkey" onSubmit={send}>
          <p class="small muted">{t("emailNone")}</p>
          <label class="field">
            <span class="field-label">{t("emailLabel")}</span>
            <input type="email" required autocomplete="email" placeholder={t("emailPlaceholder")} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          </label>
          <button type="submit" class="button button-quiet">
            {t("emailConfirm")}
          </button>
        </form>
      )}
      {sent && <p class="small" role="status">{t("emailConfirmSent", { email: sent })}</p>}
      {error && <p class="console-error">{error}</p>}
    </section>
  );
}
