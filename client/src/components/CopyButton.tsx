import { useState } from "preact/hooks";
import { copyText } from "../clipboard.ts";
import { commonText, section, translator } from "../i18n.ts";
import { showToast } from "../toasts.ts";
import { Svg, type IconProps } from "./icons.tsx";

/**
 * The button's words, both languages, in the chunk that shows it: on the viewer page that is the checkout's (or the
 * share codes'), so the page's own catalogue, which every viewer downloads, does without them.
 */
const copyButtonText = /* @__PURE__ */ section(
  {
    copy: "Copy",
    copied: "Copied!",
    copyFailed: "Couldn't copy. Select the link and copy it by hand.",
  },
  {
    copy: "复制",
    copied: "已复制！",
    copyFailed: "复制失败，请手动选中链接复制。",
  },
);

const t = /* @__PURE__ */ translator(commonText, copyButtonText);

/** Here rather than in icons.tsx, with the button's words: the viewer page's script, which holds icons.tsx, never shows it. */
const CopyIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M9 9h11v11H9zM5 15H4V4h11v1" />
  </Svg>
);

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
