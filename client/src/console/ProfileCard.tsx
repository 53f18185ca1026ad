/**
 * The signed-in member's own profile: the name and photo viewers see on the
 * shows they host (PATCH /api/auth/me, PUT /api/auth/me/photo). The photo
 * is taken or picked on the phone and resized here before it is sent.
 */
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { preparePhoto } from "../catalogue/photo-upload.ts";
import { me } from "./account.ts";
import { tConsole as t } from "./i18n-console.ts";
import { problemText } from "./SignIn.tsx";

type Profile = { displayName: string; photoUrl: string | null };

/** A face needs far fewer pixels than a product. */
const PROFILE_PHOTO_SIDE = 512;

export function ProfileCard() {
  const account = me.value?.account;
  const [name, setName] = useState(account?.displayName ?? "");
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!account) return null;

  function keep(profile: Profile) {
    if (me.value) me.value = { ...me.value, account: { ...me.value.account, ...profile } };
  }

  async function run(work: () => Promise<{ profile: Profile }>) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      keep((await work()).profile);
      setSaved(true);
    } catch (caught) {
      setError(problemText(caught));
    } finally {
      setBusy(false);
    }
  }

  function saveName(event: Event) {
    event.preventDefault();
    if (!name.trim() || name.trim().length > 80) {
      setError(t("errProfileName"));
      return;
    }
    void run(() => api("/api/auth/me", { method: "PATCH", body: { displayName: name.trim() } }));
  }

  async function pickPhoto(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    void run(async () => {
      const photo = await preparePhoto(file, PROFILE_PHOTO_SIDE).catch(() => {
        throw new Error(t("errShowCoverPhoto"));
      });
      URL.revokeObjectURL(photo.previewUrl);
      return api("/api/auth/me/photo", { method: "PUT", body: photo.blob });
    });
  }

  const initial = Array.from(account.displayName.trim())[0]?.toUpperCase() ?? "?";
  return (
    <section class="card console-card profile-card" aria-labelledby="profile-title" data-testid="profile-card">
      <h2 class="card-title" id="profile-title">
        {t("profileTitle")}
      </h2>
      <p class="small muted">{t("profileNote")}</p>
      <div class="profile-row">
        {account.photoUrl ? (
          <img class="profile-photo" data-testid="profile-photo" src={account.photoUrl} alt="" width={72} height={72} />
        ) : (
          <span class="profile-photo profile-photo-empty" aria-hidden="true">{initial}</span>
        )}
        <div class="photo-actions">
          {/* No `capture`: a phone then offers both its camera and its gallery. */}
          <label class="button button-quiet photo-pick">
            <input type="file" accept="image/*" class="visually-hidden" data-testid="profile-photo-input" disabled={busy} onChange={(e) => void pickPhoto(e.currentTarget)} />
            {t(account.photoUrl ? "profilePhotoChange" : "profilePhotoPick")}
          </label>
          {account.photoUrl && (
            <button type="button" class="button button-quiet" data-testid="profile-photo-remove" disabled={busy} onClick={() => void run(() => api("/api/auth/me/photo", { method: "DELETE" }))}>
              {t("profilePhotoRemove")}
            </button>
          )}
        </div>
      </div>
      <form class="profile-name" onSubmit={saveName} noValidate>
        <label class="field">
          <span class="field-label">{t("profileName")}</span>
          <input data-testid="profile-name" value={name} maxLength={80} autocomplete="name" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button button-quiet" data-testid="profile-save" disabled={busy}>
          {busy ? t("saving") : t("profileSave")}
        </button>
      </form>
      {saved && !error && <p class="small" role="status" data-testid="profile-saved">{t("profileSaved")}</p>}
      {error && <p class="console-error" role="alert">{error}</p>}
    </section>
  );
}
