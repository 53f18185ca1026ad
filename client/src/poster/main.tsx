/** A show's poster (/console/poster/{shopId}/{roomId}): the console's session, its own small page for print. */
import { render } from "preact";
import { PosterPage } from "./PosterPage.tsx";
import "../styles/panel.css";
import "./poster.css";

const [, shopId = "", roomId = ""] = /^\/console\/poster\/([^/]+)\/([^/]+)/.exec(location.pathname) ?? [];

render(<PosterPage shopId={decodeURIComponent(shopId)} roomId={decodeURIComponent(roomId)} />, document.getElementById("app")!);
