/**
 * This browser's viewer identity: a token the server signed, kept across
 * visits (no sign-up) and presented when the page asks for a socket ticket
 * or opens a video session. Without storage (a private window) it lasts as
 * long as the page.
 */
const KEY = "shop-along:viewer";
let current: string | null = null;

export function viewerToken(): string | null {
  try {
    current ??= localStorage.getItem(KEY);
  } catch {
    // Storage is blocked: keep the token in memory only.
  }
  return current;
}

export function keepViewerToken(token: string): void {
  current = token;
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // As above.
  }
}
