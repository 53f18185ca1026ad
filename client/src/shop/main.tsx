/** The shop's public page (/s/{slug}): its own small bundle, never the viewer page's. */
import { render } from "preact";
import { ShopPage } from "./ShopPage.tsx";
import "../styles/panel.css";
import "./shop.css";

const slug = decodeURIComponent(/^\/s\/([^/]+)/.exec(location.pathname)?.[1] ?? "");

// When "Remind me" lands (issue 10, item 2) the lead passes it here:
// <ShopPage slug={slug} remind={(show) => <RemindButton roomId={show.id} title={show.title} startsAt={show.startsAt} />} />
render(<ShopPage slug={slug} />, document.getElementById("app")!);
