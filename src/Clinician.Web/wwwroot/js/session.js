// Cookie sign-in: the server sets an HttpOnly cookie; this module only learns who is signed in.
import { api, ApiError } from "./api.js";

let current = null;

export const me = () => current;

/** Who the cookie belongs to, or null when there is no (valid) session. */
export async function restore() {
  try {
    current = await api("/api/auth/session");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) current = null;
    else throw error;
  }
  return current;
}

/** Signs in; throws ApiError (401 wrong, 429 throttled with retryAfter, 503 busy). */
export async function signIn(username, password) {
  current = await api("/api/auth/session", { method: "POST", body: { username, password } });
  return current;
}

export async function signOut() {
  current = null;
  try { await api("/api/auth/session", { method: "DELETE" }); } catch { /* the cookie expires anyway */ }
}
