// Every call to the platform: the session cookie goes with it (the page never sees a token) and unsafe requests
// carry the header the server's CSRF guard asks for.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || null;
    this.owner = problem.owner || null;
    this.errors = problem.errors || null; // a ValidationProblem's problems per field
  }
}

let onSignedOut = () => {};

export function whenSignedOut(handler) { onSignedOut = handler; }

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-Telehealth-Request"] = "1";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && !path.startsWith("/api/auth/session")) {
    onSignedOut();
    throw new ApiError(401, { title: "Signed out" });
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON */ }
    const error = new ApiError(response.status, problem);
    error.retryAfter = response.headers.get("Retry-After");
    throw error;
  }
  return response.status === 204 ? null : response.json();
}
