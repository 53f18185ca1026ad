import { dismissToast, toasts } from "../toasts.ts";

export function Toasts() {
  return (
    <div class="toasts" aria-live="polite">
      {toasts.value.map((toast) => (
        <div
          key={toast.id}
          class={`toast toast-${toast.tone}`}
          data-testid={toast.tone === "error" ? "toast" : "notice"}
          data-code={toast.code}
          role={toast.tone === "error" ? "alert" : "status"}
          onClick={() => dismissToast(toast.id)}
        >
          {toast.text}
        </div>
      ))}
    </div>
  );
}
