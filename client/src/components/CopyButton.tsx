import { useState } from "preact/hooks";
import { copyText } from "../clipboard.ts";
import { t } from "../i18n.ts";
import { showToast } from "../toasts.ts";
import { CopyIcon } from "./icons.tsx";

/** Copies `text` and says "Copied!" on the button for a moment; `label` when "Copy" alone would not say what. */
export function CopyButton({ text, testId, label, class: className = "" }: { text: string; testId?: string; label?: string; class?: string }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    if (await copyText(text)) {
      setCopied(true);
      setTimeout(() => setCopied(false), 1800);
    } else {
      showToast({ text: t("copyFailed"), tone: "error" });
    }
  }

  return (
    <button type="button" class={`button button-quiet copy-button ${className}`} data-testid={testId} onClick={copy}>
      <CopyIcon size={16} />
      <span>{copied ? t("copied") : (label ?? t("copy"))}</span>
    </button>
  );
}
