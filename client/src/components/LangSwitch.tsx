import { lang, setLang, t } from "../i18n.ts";

/** Flips between English and Chinese; the button shows the language it switches to. */
export function LangSwitch({ class: className = "" }: { class?: string }) {
  return (
    <button
      type="button"
      class={`lang-switch ${className}`}
      data-testid="lang-switch"
      lang={lang.value === "en" ? "zh-CN" : "en"}
      aria-label={t("langSwitchLabel")}
      onClick={() => setLang(lang.value === "en" ? "zh-CN" : "en")}
    >
      {t("langSwitch")}
    </button>
  );
}
