import { useEffect, useState } from "preact/hooks";
import { formatStartTime } from "../format.ts";
import { lang } from "../i18n.ts";
import { listPasskeys, removePasskey } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { addPasskey, deviceName, type Passkey } from "./passkeys.ts";
import { RecoveryCodeCard } from "./RecoveryCodeCard.tsx";
import { problemText } from "./SignIn.tsx";

const when = (at: number) => formatStartTime(new Date(at).toISOString(), lang.value);

/** The account's passkeys: add one (named after its device), remove one; the first comes with the recovery code, shown once. */
export function Passkeys() {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [name, setName] = useState(deviceName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState(false);
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);

  const refresh = () => listPasskeys().then(setPasskeys, (caught) => setError(problemText(caught)));
  useEffect(() => void refresh(), []);

  async function add(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setAdded(false);
    try {
      const result = await addPasskey(name.trim() || deviceName());
      setAdded(true);
      if (result.recoveryCode) setRecoveryCode(result.recoveryCode);
      await refresh();
    } catch (caught) {
      setError(problemText(caught));
    } finally {
      setBusy(false);
    }
  }

  async function remove(passkey: Passkey) {
    if (!window.confirm(t("removePasskeyConfirm", { name: passkey.name }))) return;
    try {
      await removePasskey(passkey.id);
      await refresh();
    } catch (caught) {
      setError(problemText(caught));
    }
  }

  return (
    <section class="card console-card" aria-labelledby="passkeys-title">
      <h2 class="card-title" id="passkeys-title">
        {t("securityTitle")}
      </h2>
      <p class="muted small">{t("securityLead")}</p>
      {passkeys && passkeys.length === 0 && <p class="small">{t("noPasskeys")}</p>}
      {passkeys && passkeys.length > 0 && (
        <ul class="plain-list">
          {passkeys.map((passkey) => (
            <li key={passkey.id} class="plain-row" data-testid="passkey">
              <div>
                <p class="plain-row-title" data-testid="passkey-name">{passkey.name}</p>
                <p class="muted small">
                  {t("passkeyAddedOn", { date: when(passkey.createdAt) })}
                  {passkey.lastUsedAt ? ` · ${t("passkeyUsedOn", { date: when(passkey.lastUsedAt) })}` : ""}
                </p>
              </div>
              <button type="button" class="button button-quiet copy-button" data-testid="remove-passkey" onClick={() => remove(passkey)}>
                {t("remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="add-passkey" onSubmit={add}>
        <label class="field">
          <span class="field-label">{t("passkeyName")}</span>
          <input
            data-testid="passkey-name-input"
            maxLength={60}
            placeholder={t("passkeyNamePlaceholder")}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button button-primary" data-testid="add-passkey" disabled={busy}>
          {busy ? t("addingPasskey") : t("addPasskey")}
        </button>
      </form>
      {added && !error && (
        <p class="small" role="status" data-testid="passkey-added">
          {t("passkeyAdded")}
        </p>
      )}
      {error && (
        <p class="console-error" role="alert">
          {error}
        </p>
      )}
      {recoveryCode && <RecoveryCodeCard code={recoveryCode} title={t("recoveryCodeTitle")} note={t("recoveryCodeNote")} />}
    </section>
  );
}
