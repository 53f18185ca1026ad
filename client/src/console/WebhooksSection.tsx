/**
 * The shop's webhook endpoints: add one (its URL, the events it wants; the
 * signing secret shown once, with Copy), send a test, rotate the secret,
 * disable or enable it, delete it, and read its delivery log (each attempt's
 * status and latency), redelivering an event. The log refreshes itself
 * while it is open, so retries show up as they happen.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { formatStartTime } from "../format.ts";
import { errorText, lang } from "../i18n.ts";
import { showToast } from "../toasts.ts";
import { tWebhooks as t } from "./i18n-webhooks.ts";
import { SecretShownOnce } from "./SecretShownOnce.tsx";

const EVENT_TYPES = [
  "show.scheduled", "show.started", "show.ended", "replay.ready", "order.created",
  "order.paid", "order.cancelled", "order.fulfilled", "product.sold_out", "rsvp.created",
] as const;

type Endpoint = { id: string; url: string; description: string | null; events: string[]; enabled: boolean; disabledReason: "failing" | null };
type Attempt = { attempt: number; status: number | null; ok: boolean; latencyMs: number; response: string | null; at: number };
type Delivery = { id: string; eventType: string; status: "pending" | "delivered" | "failed"; createdAt: number; attempts: Attempt[] };

const when = (at: number) => formatStartTime(new Date(at).toISOString(), lang.value);
const STATUS_WORD = { pending: "webhookPending", delivered: "webhookDelivered", failed: "webhookFailed" } as const;

export function WebhooksSection({ shopId }: { shopId: string }) {
  const path = `/api/shops/${encodeURIComponent(shopId)}/webhooks`;
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>(["order.created", "order.paid"]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

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
  const reload = async () => setEndpoints((await api<{ endpoints: Endpoint[] }>(path)).endpoints);
  useEffect(() => void attempt(reload), [shopId]);

  const add = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      const made = await api<{ endpoint: Endpoint; secret: string }>(path, { method: "POST", body: { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) } });
      setSecret({ url: made.endpoint.url, secret: made.secret });
      setUrl("");
      setDescription("");
      await reload();
    });
  };
  const toggle = (type: string) => setEvents((now) => (now.includes(type) ? now.filter((e) => e !== type) : [...now, type]));

  const rotate = (endpoint: Endpoint) =>
    attempt(async () => {
      if (!confirm(t("webhookRotateConfirm", { url: endpoint.url }))) return;
      const made = await api<{ endpoint: Endpoint; secret: string }>(`${path}/${endpoint.id}/rotate-secret`, { method: "POST" });
      setSecret({ url: made.endpoint.url, secret: made.secret });
    });
  const setEnabled = (endpoint: Endpoint, enabled: boolean) =>
    attempt(async () => {
      await api(`${path}/${endpoint.id}`, { method: "PATCH", body: { enabled } });
      await reload();
    });
  const remove = (endpoint: Endpoint) =>
    attempt(async () => {
      if (!confirm(t("webhookDeleteConfirm", { url: endpoint.url }))) return;
      setEndpoints((await api<{ endpoints: Endpoint[] }>(`${path}/${endpoint.id}`, { method: "DELETE" })).endpoints);
    });
  const test = (endpoint: Endpoint) =>
    attempt(async () => {
      await api(`${path}/${endpoint.id}/test`, { method: "POST", body: {} });
      showToast({ text: t("webhookTestSent"), tone: "info" });
      setOpen(endpoint.id);
    });

  return (
    <section class="card console-card" aria-labelledby="webhooks-title">
      <h2 class="card-title" id="webhooks-title">
        {t("webhooksTitle")}
      </h2>
      <p class="small">{t("webhooksLead")}</p>
      <form class="webhook-form" onSubmit={add}>
        <label class="field">
          <span class="field-label">{t("webhookUrl")}</span>
          <input data-testid="webhook-url" type="url" inputMode="url" required value={url} placeholder="https://shop.example/hooks" onInput={(e) => setUrl(e.currentTarget.value)} />
          <span class="muted small">{t("webhookUrlHint")}</span>
        </label>
        <label class="field">
          <span class="field-label">{t("webhookDescription")}</span>
          <input data-testid="webhook-description" maxLength={200} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <fieldset class="webhook-events">
          <legend class="field-label">{t("webhookEvents")}</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type} class="webhook-event">
              <input type="checkbox" data-testid={`webhook-event-${type}`} checked={events.includes(type)} onChange={() => toggle(type)} />
              <code>{type}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button" data-testid="webhook-add" disabled={busy || !url.trim() || events.length === 0}>
          {t("webhookAdd")}
        </button>
      </form>
      {secret && (
        <SecretShownOnce
          testIds={{ box: "webhook-secret", value: "webhook-secret-value", copy: "webhook-secret-copy" }}
          secret={secret.secret}
          note={t("webhookSecretOnce", { url: secret.url })}
          done={t("webhookSecretDone")}
          onDone={() => setSecret(null)}
        />
      )}
      {problem && (
        <p class="console-error" role="alert">
          {problem}
        </p>
      )}
      {endpoints?.length === 0 && <p class="muted small">{t("webhookNone")}</p>}
      <ul class="plain-list">
        {endpoints?.map((endpoint) => (
          <li key={endpoint.id} class="webhook-endpoint" data-testid="webhook-endpoint" data-enabled={endpoint.enabled}>
            <p class="plain-row-title webhook-endpoint-url">{endpoint.url}</p>
            {endpoint.description && <p class="small">{endpoint.description}</p>}
            <p class="muted small">
              <span class={endpoint.enabled ? "webhook-badge ok" : "webhook-badge off"} data-testid="webhook-state">
                {endpoint.enabled ? t("webhookEnabled") : endpoint.disabledReason === "failing" ? t("webhookDisabledFailing") : t("webhookDisabled")}
              </span>{" "}
              {endpoint.events.join(" · ")}
            </p>
            <div class="button-row webhook-actions">
              <button type="button" class="button button-quiet" data-testid="webhook-log-toggle" onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>
                {open === endpoint.id ? t("webhookHideLog") : t("webhookLog")}
              </button>
              {endpoint.enabled && (
                <button type="button" class="button button-quiet" data-testid="webhook-test" disabled={busy} onClick={() => void test(endpoint)}>
                  {t("webhookTest")}
                </button>
              )}
              <button type="button" class="button button-quiet" data-testid="webhook-rotate" disabled={busy} onClick={() => void rotate(endpoint)}>
                {t("webhookRotate")}
              </button>
              <button type="button" class="button button-quiet" data-testid="webhook-toggle" disabled={busy} onClick={() => void setEnabled(endpoint, !endpoint.enabled)}>
                {endpoint.enabled ? t("webhookDisable") : t("webhookEnable")}
              </button>
              <button type="button" class="button button-quiet" data-testid="webhook-delete" disabled={busy} onClick={() => void remove(endpoint)}>
                {t("webhookDelete")}
              </button>
            </div>
            {open === endpoint.id && <DeliveryLog path={`${path}/${endpoint.id}/deliveries`} redeliverPath={(id) => `${path}/deliveries/${id}/redeliver`} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One endpoint's deliveries, newest first, each with its attempts; re-read every 3 s while shown. */
function DeliveryLog({ path, redeliverPath }: { path: string; redeliverPath: (deliveryId: string) => string }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = () =>
    api<{ deliveries: Delivery[] }>(path).then(
      (body) => (setDeliveries(body.deliveries), setProblem(null)),
      (error) => setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error)),
    );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [path]);
  const redeliver = async (id: string) => {
    try {
      await api(redeliverPath(id), { method: "POST" });
      showToast({ text: t("webhookRedelivered"), tone: "info" });
      await load();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorText(error.code, error.message) : String(error));
    }
  };
  return (
    <div class="webhook-log" data-testid="webhook-log">
      {problem && (
        <p class="console-error" role="alert">
          {problem}
        </p>
      )}
      {deliveries?.length === 0 && <p class="muted small">{t("webhookLogEmpty")}</p>}
      <ol class="plain-list">
        {deliveries?.map((d) => (
          <li key={d.id} class="webhook-delivery" data-testid="webhook-delivery" data-status={d.status} data-event={d.eventType}>
            <div class="webhook-delivery-head">
              <code>{d.eventType}</code>
              <span class={`webhook-badge ${d.status === "delivered" ? "ok" : d.status === "failed" ? "off" : "wait"}`}>{t(STATUS_WORD[d.status])}</span>
              <button type="button" class="button button-quiet webhook-redeliver" data-testid="webhook-redeliver" onClick={() => void redeliver(d.id)}>
                {t("webhookRedeliver")}
              </button>
            </div>
            <ul class="webhook-attempts">
              {d.attempts.map((a) => (
                <li key={a.attempt} class="small" data-testid="webhook-attempt" data-ok={a.ok}>
                  <span class={a.ok ? "webhook-ok" : "webhook-fail"}>{a.status ?? t("webhookNoAnswer")}</span> · {t("webhookAttempt", { n: a.attempt })} · {t("webhookLatency", { ms: a.latencyMs })} · {when(a.at)}
                  {a.response && <span class="webhook-response muted">{a.response}</span>}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}
