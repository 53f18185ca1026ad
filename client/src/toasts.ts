/** Short-lived notices at the top of a page (errors from the room, copy confirmations). */
import { signal } from "@preact/signals";

export type Toast = {
  id: number;
  text: string;
  /** The room's error code when the toast reports one (tests read it as data-code). */
  code?: string;
  tone: "error" | "info";
};

const SHOW_FOR_MS = 4000;
/** More than this and the oldest go: a flood of rate-limit errors must not cover the stage. */
const MAX_VISIBLE = 3;

export const toasts = signal<Toast[]>([]);
let nextId = 1;

/** Shows a notice; the same words again replace the one on screen (and its time) rather than stack. */
export function showToast(toast: Omit<Toast, "id">): void {
  const id = nextId++;
  const others = toasts.value.filter((shown) => shown.text !== toast.text);
  toasts.value = [...others, { ...toast, id }].slice(-MAX_VISIBLE);
  setTimeout(() => dismissToast(id), SHOW_FOR_MS);
}

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id);
}
