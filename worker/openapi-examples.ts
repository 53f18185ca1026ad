/**
 * The one story the OpenAPI document's examples tell, so that the ids, times
 * and links of one body agree with the next: Lotus Tea House (the seeded
 * demo's shop, in USD) made its spring tasting on 2 March 2027; the show went
 * live on 18 March 2027 at 12:00 UTC (20:00 in Shanghai), sold Jasmine
 * pearls, and ended at 13:00. Ids have the shapes ids.ts makes; money is in
 * cents; times are ms since the epoch, or ISO 8601 where the API speaks ISO.
 */
export const ORIGIN = "https://shop-along.example";

export const IDS = {
  shop: "s_3fK9x0aZbQ1mN2pL",
  product: "p_7Hq2LwX9cV4bN1mZ",
  variant: "pv_9Jd3KsL0qW2eR5tY",
  photo: "ph_4Gh7JkL1zX8cV2bN",
  room: "r_Q8s2mK0vT5yH3nB6",
  order: "o_Q8s2mK0vT5yH3nB6aZ91xQwE0p",
  account: "a_3fK9x0aZbQ1mN2pL",
  viewer: "v_3fK9x0aZbQ1mN2pL",
  take: "tk_4Gh7JkL1zX8cV2bN",
  apiKey: "ak_Q8s2mK0vT5yH3nB6",
  deal: "d_Xc7Rm2Qa9LpK",
  /** Chat messages are numbered by the room, named by a UUID. */
  chatMessage: "6f1c2d8e-3b4a-4f7e-9c2d-1a5b8e7f0c3d",
  session: "se_Lm4Xq8Vb2Nc7Rt1Z",
  /** A passkey is named by its WebAuthn credential id (base64url). */
  passkey: "b3BzR0tHd2Q4WmNxVjJ4bVhRcA",
  challenge: "wc_Pk3Vn9Lq2Xb7Rm1C",
  invite: "in_Hc5Wm1Zq8Lt3Vx6R",
  /** A Calls (and the local SFU's) session id: 32 hex characters. */
  callsSession: "8f3c1a9e2b7d4c6f0a1e5b9d3c7f2a4e",
} as const;

/** Keys and tokens in the shapes the server makes (made up: no server issued them). Links carry keys in their fragment. */
export const KEYS = {
  invite: "iv_Rt6Kq1Vz8Mx3Lb7Nc2Wp9Hd4Fs0Jy5Ea",
  /** A viewer's token: its id, signed (viewer-identity.ts). */
  viewerToken: `vt_${IDS.viewer}.4b1e9c2a7d3f8e6b0c5a9d2e7f1b3c8a`,
  host: "hk_Vb3Nq8Lm2Xc7Rt1Zp9Ks4Wd6Fh0Jy5Ga",
  guest: "gk_Tn4Hx9Bq2Lm7Vc3Rz8Kp1Wd6Fs0Jy5Ea",
  moderator: "mk_Ws2Kd7Pq9Lx3Vn8Bc1Rz6Hm4Ft0Jy5Ca",
} as const;

export const TIMES = {
  shopCreated: 1803979800000, // 2027-03-02T09:30:00Z
  roomCreated: 1803980700000, // 2027-03-02T09:45:00Z
  /** The planned start, as a request gives it (an offset) and as answers give it (UTC). */
  startsAtGiven: "2027-03-18T20:00:00+08:00",
  startsAt: "2027-03-18T12:00:00.000Z",
  /** An hour in which viewers confirmed RSVPs (the counts are per hour). */
  rsvpsHour: 1803988800000, // 2027-03-02T12:00:00Z
  /** The owner's sign-in session: 30 days. */
  signedIn: 1804672800000, // 2027-03-10T10:00:00Z
  sessionExpires: 1807264800000, // 2027-04-09T10:00:00Z
  invited: 1804752720000, // 2027-03-11T08:12:00Z
  inviteExpires: 1805357520000, // 2027-03-18T08:12:00Z, 7 days on
  live: 1805371200000, // 2027-03-18T12:00:00Z
  ordered: 1805371662000, // 2027-03-18T12:07:42Z
  ended: 1805374800000, // 2027-03-18T13:00:00Z
  packed: 1805447700000, // 2027-03-19T09:15:00Z
} as const;

export const VIEWER_LINK = `${ORIGIN}/r/${IDS.room}`;
/** The host's photo, as the profile routes store one. */
export const PROFILE_PHOTO_URL = "/photos/profiles/ph_Rb6Tn1Kq8Vz3Xm5W.jpg";
