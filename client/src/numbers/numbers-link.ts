/** The console's page of a show's numbers: the console opens that show's numbers when its address says so. */
const FRAGMENT = /^#numbers=(r_[0-9A-Za-z]{16})$/;

export const consoleNumbersUrl = (roomId: string) => `/console#numbers=${encodeURIComponent(roomId)}`;

// Read when the console starts: it clears its fragment (sign-in and invite links ride there) before the shows are listed.
const asked = typeof location === "undefined" ? null : (FRAGMENT.exec(location.hash)?.[1] ?? null);

/** The show the console's address asked to open the numbers of, if any. */
export const numbersAsked = (): string | null => asked;
