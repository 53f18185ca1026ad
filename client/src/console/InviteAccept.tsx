import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api.ts";
import { loadMe, me } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { addPasskey, deviceName } from "./passkeys.ts";
import { RecoveryCodeCard } from "./RecoveryCodeCard.tsx";
import { problemText } from "./SignIn.tsx";
import { acceptInvite, previewInvite, ROLE_WORDS, type InvitePreview, type InviteTicket } from "./team.ts";

function inviteProblem(error: unknown): string {
  if (error instanceof ApiError && error.code === "invite_expired") return t("inviteExpired");
  if (error instanceof ApiError && error.code === "already_member") return t("alreadyMember");
  return problemText(error);
}

/**
 * An invite link opened here (`/console#invite=…`): what it gives, then
 * accept. Signed in, one tap; signed out, a name and a passkey make the
 * account right here (or sign in below with one already made, then accept).
 */
export function InviteAccept({ ticket, onDone }: { ticket: InviteTicket; onDone: () => void }) {
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState(false);
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);

  useEffect(() => {
    previewInvite(ticket).then(setPreview, (caught) => setError(inviteProblem(caught)));
  }, [ticket]);

  const signedIn = !!me.value;
  const words = preview && { shop: preview.shop.name, role: t(ROLE_WORDS[preview.role]) };

  async function accept(event?: Event) {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await acceptInvite(ticket, signedIn ? undefined : name.trim());
      setJoined(true);
      if (answer.newAccount) {
        // The account exists and is signed in: its passkey comes next (if that fails, the console's passkey card can add one).
        try {
          const { recoveryCode: code } = await addPasskey(deviceName());
          setRecoveryCode(code);
        } catch (caught) {
          setError(problemText(caught));
        }
      }
      await loadMe();
    } catch (caught) {
      setError(inviteProblem(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card console-card invite-join" aria-labelledby="invite-title" data-testid="invite-accept">
      <h1 class="card-title" id="invite-title">
        {words ? t("joinTitle", words) : t("loading")}
      </h1>
      {words && !joined && <p>{t("joinLead", words)}</p>}
      {error && (
        <p class="console-error" role="alert" data-testid="invite-error">
          {error}
        </p>
      )}
      {joined && words && (
        <p class="small" role="status" data-testid="invite-joined">
          {t("joined", words)}
        </p>
      )}
      {recoveryCode && (
        <RecoveryCodeCard code={recoveryCode} title={t("recoveryCodeTitle")} note={t("recoveryCodeNote")}>
          <button type="button" class="button button-quiet copy-button" data-testid="recovery-code-done" onClick={() => setRecoveryCode(null)}>
            {t("recoveryDone")}
          </button>
        </RecoveryCodeCard>
      )}
      {joined && !recoveryCode && (
        <button type="button" class="button button-quiet button-wide" data-testid="invite-continue" onClick={onDone}>
          {t("yourShops")}
        </button>
      )}
      {preview && !joined && signedIn && (
        <button type="button" class="button button-primary button-wide" data-testid="invite-accept-button" disabled={busy} onClick={() => accept()}>
          {t("joinAccept")}
        </button>
      )}
      {preview && !joined && !signedIn && (
        <form class="sign-in-form" onSubmit={accept}>
          <h2 class="link-label">{t("joinNewTitle")}</h2>
          <label class="field">
            <span class="field-label">{t("joinName")}</span>
            <input required maxLength={80} autocomplete="name" data-testid="invite-display-name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
          </label>
          <button type="submit" class="button button-primary button-wide" data-testid="invite-create-account" disabled={busy}>
            {busy ? t("joinCreating") : t("joinCreate")}
          </button>
          <p class="small muted">{t("joinHaveAccount")}</p>
        </form>
      )}
    </section>
  );
}
