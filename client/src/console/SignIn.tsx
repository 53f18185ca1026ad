import { useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { tConsole as t, type ConsoleKey } from "./i18n-console.ts";
import { me, requestEmailLink, signInWithRecoveryCode, type Me } from "./account.ts";
import { RecoveryCodeCard } from "./RecoveryCodeCard.tsx";
import { PasskeyError, signInWithPasskey } from "./passkeys.ts";

const PASSKEY_PROBLEMS: Record<PasskeyError["problem"], ConsoleKey> = {
  cancelled: "errPasskeyCancelled",
  unsupported: "errPasskeyUnsupported",
  unknown_passkey: "errPasskeyUnknown",
  other: "errGeneric",
};

/** A failure in the page's words: known codes translated, others with the server's message. */
export function problemText(error: unknown): string {
  if (error instanceof PasskeyError) return t(PASSKEY_PROBLEMS[error.problem], { message: error.message });
  if (error instanceof ApiError) {
    if (error.code === "rate_limited") return t("errRateLimited");
    if (error.code === "code_refused") return t("errCodeRefused");
    if (error.code === "link_expired") return t("linkExpired");
    if (error.code === "network") return t("errorNetwork");
  }
  return t("errGeneric", { message: error instanceof Error ? error.message : String(error) });
}

/** Signed out: a passkey (no email to type), an emailed link, or the recovery code. */
export function SignIn({ notice }: { notice: string | null }) {
  const [busy, setBusy] = useState<"passkey" | "email" | "code" | null>(null);
  const [error, setError] = useState<string | null>(notice);
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [recovered, setRecovered] = useState<{ signedIn: Me; recoveryCode: string } | null>(null);

  async function attempt(kind: "passkey" | "email" | "code", work: () => Promise<void>) {
    if (busy) return;
    setBusy(kind);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(problemText(caught));
    } finally {
      setBusy(null);
    }
  }

  if (recovered) {
    // Signed in with the recovery code: the new one is shown before the console.
    return (
      <section class="card console-card">
        <RecoveryCodeCard code={recovered.recoveryCode} title={t("recoveryNewTitle")} note={t("recoveryNewNote")}>
          <button type="button" class="button button-primary" data-testid="recovery-code-saved" onClick={() => (me.value = recovered.signedIn)}>
            {t("recoveryDone")}
          </button>
        </RecoveryCodeCard>
      </section>
    );
  }

  return (
    <section class="card console-card sign-in" aria-labelledby="sign-in-title">
      <h1 class="card-title" id="sign-in-title">
        {t("signInTitle")}
      </h1>
      <p class="muted">{t("signInLead")}</p>
      {error && (
        <p class="console-error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button
        type="button"
        class="button button-primary button-wide"
        data-testid="sign-in-passkey"
        disabled={busy !== null}
        onClick={() => attempt("passkey", async () => void (me.value = await signInWithPasskey()))}
      >
        {busy === "passkey" ? t("signingIn") : t("signInPasskey")}
      </button>
      <p class="small muted">{t("signInPasskeyNote")}</p>

      <p class="sign-in-or">
        <span>{t("or")}</span>
      </p>
      <form
        class="sign-in-form"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt("email", async () => {
            await requestEmailLink(email.trim());
            setSentTo(email.trim());
          });
        }}
      >
        <label class="field">
          <span class="field-label">{t("emailLabel")}</span>
          <input
            type="email"
            required
            autocomplete="email webauthn"
            inputMode="email"
            data-testid="sign-in-email"
            placeholder={t("emailPlaceholder")}
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button button-quiet button-wide" data-testid="send-email-link" disabled={busy !== null}>
          {t("emailLinkButton")}
        </button>
        {sentTo && (
          <p class="small" role="status" data-testid="email-link-sent">
            {t("emailLinkSent", { email: sentTo })}
          </p>
        )}
      </form>

      <details class="sign-in-recovery">
        <summary data-testid="use-recovery-code">{t("recoveryTitle")}</summary>
        <form
          class="sign-in-form"
          onSubmit={(event) => {
            event.preventDefault();
            void attempt("code", async () => setRecovered(await signInWithRecoveryCode(code)));
          }}
        >
          <label class="field">
            <span class="field-label">{t("recoveryLabel")}</span>
            <input
              required
              autocomplete="one-time-code"
              autocapitalize="characters"
              spellcheck={false}
              data-testid="recovery-code-input"
              placeholder="XXXX-XXXX-XXXX-XXXX-XXXX"
              value={code}
              onInput={(event) => setCode(event.currentTarget.value)}
            />
          </label>
          <button type="submit" class="button button-quiet button-wide" data-testid="recovery-code-submit" disabled={busy !== null}>
            {t("recoveryButton")}
          </button>
        </form>
      </details>
    </section>
  );
}
