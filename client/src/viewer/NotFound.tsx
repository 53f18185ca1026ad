import type { ComponentChild } from "preact";
import { commonText, section, translator } from "../i18n.ts";
import "../styles/not-found.css";

/** The words of the dead ends, both languages: they ship in this chunk, which a show's viewers never fetch. */
export const deadEndText = /* @__PURE__ */ section(
  {
    notFoundTitle: "Show not found",
    notFoundBody: "The link may be mistyped, or the show was removed.",
    notFoundAction: "Start your own show",
    guestRejectedTitle: "This guest link doesn't work",
    guestRejectedBody: "Ask the host for a new one, or watch with the viewer link.",
  },
  {
    notFoundTitle: "找不到这场直播",
    notFoundBody: "链接可能有误，或者直播已被删除。",
    notFoundAction: "创建你自己的直播",
    guestRejectedTitle: "此嘉宾链接无效",
    guestRejectedBody: "请向主播索取新的链接，或使用观众链接观看。",
  },
);

const t = /* @__PURE__ */ translator(commonText, deadEndText);

/** What a dead end is given by the page that draws it. */
export type DeadEndProps = {
  /**
   * The language switch (LangSwitch, class "chip not-found-lang"), passed in rather than imported: the viewer page's
   * own script has it, and a chunk importing it would split that script in two, which costs the page's budget.
   */
  langSwitch: ComponentChild;
};

/** A dead end that says why and offers the way out (also the whole 404 page). */
export function DeadEnd({ testId, mark, title, body, langSwitch }: DeadEndProps & { testId: string; mark?: string; title: string; body: string }) {
  return (
    <main class="not-found" data-testid={testId}>
      {langSwitch}
      {mark && (
        <p class="not-found-mark" aria-hidden="true">
          {mark}
        </p>
      )}
      <h1>{title}</h1>
      <p>{body}</p>
      <a class="button button-primary" href="/">
        {t("notFoundAction")}
      </a>
    </main>
  );
}

/** The room does not exist. */
export const NotFound = (props: DeadEndProps) => <DeadEnd {...props} testId="not-found" mark="404" title={t("notFoundTitle")} body={t("notFoundBody")} />;

/** A guest link whose key the room refused. */
export const GuestKeyRejected = (props: DeadEndProps) => (
  <DeadEnd {...props} testId="key-rejected" title={t("guestRejectedTitle")} body={t("guestRejectedBody")} />
);
