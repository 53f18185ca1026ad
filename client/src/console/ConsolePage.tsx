import { useEffect, useState } from "preact/hooks";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { TopBar } from "../components/TopBar.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { loadMe, me, signInWithEmailToken, signOut, takeEmailToken } from "./account.ts";
import { AccountEmail } from "./AccountEmail.tsx";
import { tConsole as t } from "./i18n-console.ts";
import { Passkeys } from "./Passkeys.tsx";
import { ProfileCard } from "./ProfileCard.tsx";
import { ShopSections } from "./Sections.tsx";
import { Sessions } from "./Sessions.tsx";
import { InviteAccept } from "./InviteAccept.tsx";
import { problemText, SignIn } from "./SignIn.tsx";
import { ROLE_WORDS, takeInvite } from "./team.ts";

/** /console: signed out, the ways to sign in; signed in, the account's shops and their shows, its passkeys and sessions. */
export function ConsolePage() {
  const [notice, setNotice] = useState<string | null>(null);
  // Taken while rendering, before the email-link effect clears the fragment.
  const [invite, setInvite] = useState(takeInvite);

  useEffect(() => {
    // An emailed link (`/console#token=el_…`) signs in first; otherwise, whoever the cookie says.
    const arrive = (first: boolean) => {
      const token = takeEmailToken();
      if (!token && !first) return;
      setNotice(null);
      (token ? signInWithEmailToken(token) : loadMe()).catch((error) => {
        setNotice(problemText(error));
        me.value = null;
      });
    };
    arrive(true);
    // A link opened in the tab that already shows the console changes only the fragment.
    const onHash = () => arrive(false);
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const signedIn = me.value;
  return (
    <>
      <TopBar>
        <div class="topbar-end">
          {signedIn && (
            <button type="button" class="button button-quiet copy-button" data-testid="sign-out" onClick={() => void signOut()}>
              {t("signOut")}
            </button>
          )}
          <LangSwitch class="chip chip-light" />
        </div>
      </TopBar>
      <main class="console">
        {signedIn === undefined && <p class="muted">{t("loading")}</p>}
        {invite && signedIn !== undefined && <InviteAccept ticket={invite} onDone={() => setInvite(null)} />}
        {signedIn === null && <SignIn notice={notice} />}
        {signedIn && !invite && (
          <>
            <p class="muted small" data-testid="signed-in-as">
              {t("signedInAs", { name: signedIn.account.email ?? signedIn.account.displayName })}
            </p>
            <section class="card console-card" aria-labelledby="shops-title">
              <h1 class="card-title" id="shops-title">
                {t("yourShops")}
              </h1>
              {signedIn.shops.length === 0 && <p class="small">{t("noShops")}</p>}
              {signedIn.shops.map((shop) => (
                <article key={shop.id} class="console-shop" data-testid="console-shop">
                  <h2 class="console-shop-name">
                    <span data-testid="console-shop-name">{shop.name}</span> <span class="tag">{t(ROLE_WORDS[shop.role])}</span>
                  </h2>
                  <ShopSections shopId={shop.id} role={shop.role} currency={shop.currency} />
                </article>
              ))}
              <a class="button button-quiet" href="/">
                {t("newShop")}
              </a>
            </section>
            <ProfileCard />
            <Passkeys />
            <AccountEmail />
            <Sessions />
          </>
        )}
      </main>
      <Toasts />
    </>
  );
}
