import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import { tLanding as t } from "../i18n.ts";
import { RecoveryCodeCard } from "../console/RecoveryCodeCard.tsx";
import { ownsShop } from "./create-show.ts";
import "./secure-shop.css";

type Step = { kind: "hidden" } | { kind: "offer" } | { kind: "busy" } | { kind: "done"; recoveryCode: string | null; emailSent: string | null };

/**
 * After a show is made: the brand is already signed in as its shop's owner
 * (the claim, made in the background); one button adds a passkey, so that
 * the console opens from any device later. The passkey code is loaded only
 * when the button is pressed.
 */
export function SecureShop({ shopId }: { shopId: string }) {
  const [step, setStep] = useState<Step>({ kind: "hidden" });
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void ownsShop(shopId).then((owner) => live && setStep(owner ? { kind: "offer" } : { kind: "hidden" }));
    return () => {
      live = false;
    };
  }, [shopId]);

  if (step.kind === "hidden") return null;

  async function secure(event: Event) {
    event.preventDefault();
    setError(null);
    setStep({ kind: "busy" });
    try {
      const { addPasskey, deviceName } = await import("../console/passkeys.ts");
      const { recoveryCode } = await addPasskey(deviceName());
      const typed = email.trim();
      if (typed) await api("/api/auth/email", { method: "POST", body: { email: typed } });
      setStep({ kind: "done", recoveryCode, emailSent: typed || null });
    } catch (caught) {
      const problem = (caught as { problem?: string }).problem;
      setError(problem === "cancelled" ? t("secureCancelled") : problem === "unsupported" ? t("secureUnsupported") : t("secureFailed", { message: String((caught as Error).message) }));
      setStep({ kind: "offer" });
    }
  }

  return (
    <section class="card secure-shop" aria-labelledby="secure-shop-title" data-testid="secure-shop">
      <h2 class="card-title" id="secure-shop-title">
        {t("secureTitle")}
      </h2>
      {step.kind === "done" ? (
        <>
          <p class="small" role="status" data-testid="secure-shop-done">
            {t("secureDone")}
            {step.emailSent && ` ${t("secureEmailSent", { email: step.emailSent })}`}
          </p>
          {step.recoveryCode && <RecoveryCodeCard code={step.recoveryCode} title={t("secureRecoveryTitle")} note={t("secureRecoveryNote")} />}
          <a class="button button-primary" href="/console" data-testid="open-console">
            {t("openConsole")}
          </a>
        </>
      ) : (
        <form class="secure-shop-form" onSubmit={secure}>
          <p class="small muted">{t("secureLead")}</p>
          <label class="field">
            <span class="field-label">{t("secureEmail")}</span>
            <input
              type="email"
              autocomplete="email"
              inputMode="email"
              data-testid="secure-shop-email"
              placeholder="you@example.com"
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
            />
          </label>
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button-primary" data-testid="secure-shop-passkey" disabled={step.kind === "busy"}>
            {step.kind === "busy" ? t("secureBusy") : t("secureButton")}
          </button>
        </form>
      )}
    </section>
  );
}
