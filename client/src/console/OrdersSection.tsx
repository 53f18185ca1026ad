/** The Orders and Referral codes sections: the same components as /orders/{shopId}, with the session's fetch. */
import { OrdersBoard } from "../fulfilment/OrdersBoard.tsx";
import { ReferralCodes } from "../referrals/ReferralCodes.tsx";
import { sessionFetch } from "./session-fetch.ts";
import "../styles/status-badge.css";
import "../fulfilment/board.css";

export const OrdersSection = ({ shopId }: { shopId: string }) => <OrdersBoard shopId={shopId} fetch={sessionFetch} />;

export const ReferralsSection = ({ shopId }: { shopId: string }) => <ReferralCodes shopId={shopId} fetch={sessionFetch} />;
