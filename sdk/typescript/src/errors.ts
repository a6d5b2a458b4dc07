// Every answer that is not 2xx becomes a thrown `TesseraError`, read from its problem+json body
// (RFC 9457) when it has one.

import type { components } from "./schema.js";

type ProblemBody = components["schemas"]["ProblemBody"];

/** A refused or failed request: the server's problem answer, field by field. */
export class TesseraError extends Error {
  override name = "TesseraError";
  /** The HTTP status. */
  readonly status: number;
  /** A stable URI naming the kind of problem, e.g. `https://tessera.dev/problems/not-found`. */
  readonly type: string;
  /** The HTTP status text. */
  readonly title: string;
  /** What went wrong, for people. */
  readonly detail: string;
  /** For `insufficient-scope` refusals: the permission that was needed, e.g. `agents:write`. */
  readonly required: string | undefined;
  /** For validation problems: field name → messages. */
  readonly errors: Record<string, string[]> | undefined;
  /** Seconds to wait before trying again (the `Retry-After` header), when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(problem: ProblemBody, retryAfter?: number) {
    super(
      `${problem.title} (${problem.status}): ${problem.detail}` +
        (problem.required ? ` [requires ${problem.required}]` : ""),
    );
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.required = problem.required ?? undefined;
    this.errors = problem.errors ?? undefined;
    this.retryAfter = retryAfter;
  }

  /** The last segment of `type`: `not-found`, `insufficient-scope`, `invalid-token`… */
  get kind(): string {
    return this.type.slice(this.type.lastIndexOf("/") + 1);
  }

  /** Reads an error answer; one that is not problem+json (a proxy's page) keeps its status. */
  static async fromResponse(response: Response): Promise<TesseraError> {
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    const text = await response.text().catch(() => "");
    const contentType = response.headers.get("content-type") ?? "";
    if (contentType.includes("json")) {
      try {
        const body = JSON.parse(text) as Partial<ProblemBody>;
        if (typeof body.type === "string" && typeof body.status === "number") {
          return new TesseraError(
            {
              type: body.type,
              title: body.title ?? response.statusText,
              status: body.status,
              detail: body.detail ?? "",
              required: body.required ?? null,
              errors: body.errors ?? null,
            },
            retryAfter,
          );
        }
      } catch {
        // Not JSON after all: described below like any other body.
      }
    }
    return new TesseraError(
      {
        type: "about:blank",
        title: response.statusText || `HTTP ${response.status}`,
        status: response.status,
        detail: text.slice(0, 500),
      },
      retryAfter,
    );
  }
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
