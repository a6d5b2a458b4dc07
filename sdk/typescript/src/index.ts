// The Tessera TypeScript SDK: the typed openapi-fetch client over the generated `schema.ts`,
// plus what the document cannot say: where the token comes from, problems as thrown errors,
// the chat stream, paging, and byte uploads and downloads.

import createFetchClient, { type Client, type Middleware } from "openapi-fetch";
import { TesseraError } from "./errors.js";
import type { components, paths } from "./schema.js";
import { readServerSentEvents } from "./sse.js";
import { checkToken } from "./token.js";

export type { components, operations, paths } from "./schema.js";
export { TesseraError } from "./errors.js";
export { checkToken, tokenChecksum, TesseraTokenError } from "./token.js";
export { readServerSentEvents, type ServerSentEvent } from "./sse.js";

/** The document's schemas by name: `Schemas["TokenView"]`. */
export type Schemas = components["schemas"];

export const DEFAULT_BASE_URL = "http://127.0.0.1:3000";

export interface TesseraConfig {
  /** The API token; absent means `TESSERA_API_TOKEN` from the environment. */
  apiToken?: string;
  /** Where the server is; absent means `TESSERA_API_URL`, else `http://127.0.0.1:3000`. */
  baseUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: (input: Request) => Promise<Response>;
}

// --- the chat stream's events, derived from the document's `ChatStreamEvent` ---------------

type StreamEvent = Schemas["ChatStreamEvent"];
type KeysOfUnion<T> = T extends T ? keyof T : never;
/** `message.created`, `citation`, `text.delta`, `message.completed`, `error`. */
export type ChatEventName = KeysOfUnion<StreamEvent> & string;
/** One event of an answer, its `data` typed by its name. */
export type ChatEvent = {
  [Name in ChatEventName]: { event: Name; data: Extract<StreamEvent, Record<Name, unknown>>[Name] };
}[ChatEventName];

// --- list endpoints (`{items, total}` pages with `limit` and `offset`) ----------------------

type JsonOk<Op> = Op extends { responses: { 200: { content: { "application/json": infer Body } } } }
  ? Body
  : never;
type GetOf<P extends keyof paths> = paths[P]["get"];
/** The paths whose GET answers a page and takes `limit` and `offset`. */
export type ListPath = {
  [P in keyof paths]: [JsonOk<GetOf<P>>] extends [never]
    ? never
    : JsonOk<GetOf<P>> extends { items: unknown[]; total: number }
      ? GetOf<P> extends { parameters: { query?: { limit?: number; offset?: number } } }
        ? P
        : never
      : never;
}[keyof paths];
/** One item of a list path's pages. */
export type ListItem<P extends ListPath> = JsonOk<GetOf<P>> extends { items: (infer Item)[] } ? Item : never;
type Parameters_<P extends ListPath> = GetOf<P> extends { parameters: infer Params } ? Params : never;
export interface ListOptions<P extends ListPath> {
  /** The path's parameters, e.g. `{ id: agentId }` for an agent's executions. */
  path?: Parameters_<P> extends { path?: infer Path } ? Path : never;
  /** Filters; `limit` and `offset` are the helper's. */
  query?: Omit<NonNullable<Parameters_<P> extends { query?: infer Query } ? Query : never>, "limit" | "offset">;
  /** Items per request (1–500); 100 unless given. */
  pageSize?: number;
}

/** A Tessera client: openapi-fetch's `GET`, `POST`, … for every route, and the helpers below. */
export interface Tessera extends Client<paths> {
  /** The server this client talks to. */
  readonly baseUrl: string;
  /** Every item of a list endpoint, fetching page after page as the loop goes on. */
  paginate<P extends ListPath>(path: P, options?: ListOptions<P>): AsyncGenerator<ListItem<P>>;
  /**
   * Asks the assistant; yields the answer's events as the server sends them. A refusal before
   * the stream starts throws `TesseraError`; a failure during it is an `error` event.
   */
  chat(request: Schemas["ChatRequest"], options?: { signal?: AbortSignal }): AsyncGenerator<ChatEvent>;
  /** Stores bytes under a file name (`PUT /api/knowledge-base/storage/{file}`). */
  upload(name: string, bytes: Uint8Array | ArrayBuffer | Blob, contentType?: string): Promise<Schemas["StoredFile"]>;
  /** A stored file's bytes. */
  download(fileId: string): Promise<Uint8Array>;
}

/**
 * A client for the Tessera REST API. The token is checked (shape and checksum) here, before any
 * request; any answer that is not 2xx throws `TesseraError`, so `data` is there when a call
 * returns (`unwrap` says so to the type checker).
 */
export function createClient(config: TesseraConfig = {}): Tessera {
  const token = checkToken(config.apiToken ?? process.env.TESSERA_API_TOKEN);
  const baseUrl = (config.baseUrl ?? process.env.TESSERA_API_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const client = createFetchClient<paths>({ baseUrl, ...(config.fetch ? { fetch: config.fetch } : {}) });
  // The token lives in this closure only: not in the client's options, never in an error.
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (!response.ok) throw await TesseraError.fromResponse(response);
      return undefined;
    },
  };
  client.use(auth);

  async function* paginate<P extends ListPath>(path: P, options: ListOptions<P> = {}) {
    const limit = options.pageSize ?? 100;
    // The generic path defeats openapi-fetch's per-path typing; ListPath guarantees the shape.
    const get = client.GET as unknown as (
      path: string,
      init: { params: { path?: unknown; query: Record<string, unknown> } },
    ) => Promise<{ data: { items: ListItem<P>[]; total: number } }>;
    for (let offset = 0; ; ) {
      const { data } = await get(path, {
        params: { path: options.path, query: { ...(options.query ?? {}), limit, offset } },
      });
      yield* data.items;
      offset += data.items.length;
      if (data.items.length === 0 || offset >= data.total) return;
    }
  }

  async function* chat(request: Schemas["ChatRequest"], options: { signal?: AbortSignal } = {}) {
    const { data } = await client.POST("/api/assistant/chat", {
      body: request,
      parseAs: "stream",
      headers: { Accept: "text/event-stream" },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!data) throw new Error("the chat answer has no body");
    for await (const { event, data: text } of readServerSentEvents(data)) {
      // Events this version does not know are skipped, so a newer server does not break it.
      if (Object.hasOwn(CHAT_EVENTS, event)) yield { event, data: JSON.parse(text) } as ChatEvent;
    }
  }

  async function upload(name: string, bytes: Uint8Array | ArrayBuffer | Blob, contentType?: string) {
    const { data } = await client.PUT("/api/knowledge-base/storage/{file}", {
      params: { path: { file: name } },
      // The document types a binary body as `string`; fetch sends these as they are.
      body: bytes as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { "Content-Type": contentType ?? "application/octet-stream" },
    });
    return unwrap({ data });
  }

  async function download(fileId: string) {
    const { data } = await client.GET("/api/knowledge-base/storage/{file}", {
      params: { path: { file: fileId } },
      parseAs: "arrayBuffer",
    });
    return new Uint8Array(unwrap({ data }));
  }

  return Object.assign(client, { baseUrl, paginate, chat, upload, download });
}

// A record, so the type checker fails when the document gains or loses an event.
const CHAT_EVENTS: Record<ChatEventName, true> = {
  "message.created": true,
  citation: true,
  "text.delta": true,
  "message.completed": true,
  error: true,
};

/**
 * The `data` of a successful call. The client throws on every error answer, so a missing
 * `data` only means the route answers no body (204).
 */
export function unwrap<T>(result: { data?: T; error?: unknown }): T {
  if (result.error !== undefined) throw result.error;
  return result.data as T;
}
