/**
 * The shop's API keys: each with its name, when it was made and last used,
 * or revoked. The owner makes a key (shown once, with Copy) and revokes
 * one; the last live key only after a second, plainer question. A manager
 * sees the list.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { formatStartTime } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import type { Role } from "./account.ts";
import { SecretShownOnce } from "./SecretShownOnce.tsx";
import { tConsole as t } from "./i18n-console.ts";

type ApiKey = { id: string; name: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null };

const date = (at: number) => formatStartTime(new Date(at).toISOString(), lang.value);

export function ApiKeysSection({ shopId, role }: { shopId: string; role: Role }) {
  const path = `/api/shops/${encodeURIComponent(shopId)}/api-keys`;
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState("");
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const owner = role === "owner";

  const attempt = async (work: () => Promise<void>) => {
    setProblem(null);
    setBusy(true);
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error));
    } finally {
      setBusy(false);
    }
  };
  const load = () => attempt(async () => setKeys((await api<{ apiKeys: ApiKey[] }>(path)).apiKeys));
  useEffect(() => void load(), [shopId]);

  const create = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      const { apiKey, key } = await api<{ apiKey: ApiKey; key: string }>(path, { method: "POST", body: { name } });
      setMade({ name: apiKey.name, key });
      setName("");
      setKeys((await api<{ apiKeys: ApiKey[] }>(path)).apiKeys);
    });
  };

  const revoke = (key: ApiKey) =>
    attempt(async () => {
      const last = (keys ?? []).filter((k) => k.revokedAt === null).length === 1;
      if (!confirm(t(last ? "apiKeyRevokeLastConfirm" : "apiKeyRevokeConfirm", { name: key.name }))) return;
      setKeys((await api<{ apiKeys: ApiKey[] }>(`${path}/${key.id}/revoke`, { method: "POST", body: { confirmLast: last } })).apiKeys);
    });

  return (
    <section class="card console-card" aria-labelledby="api-keys-title">
      <h2 class="card-title" id="api-keys-title">
        {t("apiKeysTitle")}
      </h2>
      <p class="small">{t("apiKeysLead")}</p>
      {owner ? (
        <form class="add-passkey" onSubmit={create}>
          <label class="field">
            <span class="field-label">{t("apiKeyName")}</span>
            <input data-testid="api-key-name" value={name} maxLength={60} required placeholder={t("apiKeyNamePlaceholder")} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit" class="button" data-testid="api-key-create" disabled={busy || !name.trim()}>
            {t("apiKeyCreate")}
          </button>
        </form>
      ) : (
        <p class="muted small">{t("apiKeysOwnerOnly")}</p>
      )}
      {made && (
        <SecretShownOnce
          testIds={{ box: "api-key-made", value: "api-key-value", copy: "api-key-copy" }}
          secret={made.key}
          note={t("apiKeyShownOnce", { name: made.name })}
          done={t("apiKeyDone")}
          onDone={() => setMade(null)}
        />
      )}
      {problem && (
        <p class="console-error" role="alert">
          {problem}
        </p>
      )}
      <ul class="plain-list">
        {keys?.map((key) => (
          <li key={key.id} class="plain-row" data-testid="api-key" data-revoked={key.revokedAt !== null}>
            <div>
              <p class="plain-row-title" data-testid="api-key-row-name">
                {key.name}
              </p>
              <p class="muted small">
                {key.revokedAt !== null
                  ? t("apiKeyRevokedOn", { date: date(key.revokedAt) })
                  : `${t("apiKeyCreatedOn", { date: date(key.createdAt) })} · ${key.lastUsedAt ? t("apiKeyUsedOn", { date: date(key.lastUsedAt) }) : t("apiKeyNeverUsed")}`}
              </p>
            </div>
            {owner && key.revokedAt === null && (
              <button type="button" class="button button-quiet" data-testid="api-key-revoke" disabled={busy} onClick={() => void revoke(key)}>
                {t("apiKeyRevoke")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
