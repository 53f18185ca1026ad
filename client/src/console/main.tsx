/** The brand's console (/console): sign in, then the account's shops and shows, passkeys and sessions. */
import { effect } from "@preact/signals";
import { render } from "preact";
import { tConsole as t } from "./i18n-console.ts";
import { ConsolePage } from "./ConsolePage.tsx";
import "./console.css";

effect(() => {
  document.title = `${t("brand")} · ${t("consoleTitle")}`;
});

render(<ConsolePage />, document.getElementById("app")!);
