import { DEFAULT_NAME } from "../../../durable-objects/protocol.ts";
import { t } from "../i18n.ts";

const WORDS = { Viewer: "anonymous", Guest: "roleGuest", Moderator: "roleModerator" } as const;

/** A chatter's name as this page says it: one who typed none ("Viewer 0423": DEFAULT_NAME) in this page's language. */
export function chatName(name: string | null): string {
  const [, word, number] = DEFAULT_NAME.exec(name ?? "") ?? [];
  return word ? `${t(WORDS[word as keyof typeof WORDS])} ${number}` : name || t("anonymous");
}
