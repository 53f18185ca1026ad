import { errorText, lang, setLang, t } from "../i18n.ts";
import { showToast } from "../toasts.ts";

/** Flips between English and Chinese; the button shows the language it switches to. */
export function LangSwitch({ class: className = "" }: { class?: string }) {
  return (
    <button
      type="button"
      class={`lang-switch ${className}`}
      data-testid="lang-switch"
      lang={lang.value === "en" ? "zh-CN" : "en"}
      aria-label={t("langSwitchLabel")}
      // On the viewer page the other language's words are fetched first; offline, the page stays as it is.
      onClick={() =>
        setLang(lang.value === "en" ? "zh-CN" : "en").catch(() => showToast({ text: errorText("network", ""), code: "network", tone: "error" }))
      }
    >
      {t("langSwitch")}
    </button>
  );
}
