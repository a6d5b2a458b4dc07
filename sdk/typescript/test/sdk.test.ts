// The SDK against a real server (scripts/sdks.sh test starts one and sets TESSERA_API_URL,
// TESSERA_API_TOKEN, an account token, and TESSERA_TEST_ENVIRONMENT_ID).

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { before, describe, test } from "node:test";

import {
  checkToken,
  createClient,
  tokenChecksum,
  TesseraError,
  TesseraTokenError,
  unwrap,
  type ChatEvent,
  type Tessera,
} from "../src/index.js";

const BASE_URL = required("TESSERA_API_URL");
const TOKEN = required("TESSERA_API_TOKEN");
const ENVIRONMENT_ID = required("TESSERA_TEST_ENVIRONMENT_ID");
const RUN = `ts-${Date.now().toString(36)}`;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with scripts/sdks.sh test`);
  return value;
}

/** A fetch that counts the requests it sends. */
function countingFetch() {
  const requests: string[] = [];
  const fetch = (request: Request) => {
    requests.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`);
    return globalThis.fetch(request);
  };
  return { fetch, requests };
}

/** A well-formed token (right shape and checksum) that the server never issued. */
function forgedToken(): string {
  const chars = Array.from(randomBytes(44), (byte) => ALPHABET[byte % 62]).join("");
  const body = `tsr_${chars}`;
  return body + tokenChecksum(body);
}

/** Runs `body` with environment variables replaced, then puts them back. */
async function withEnv(values: Record<string, string | undefined>, body: () => Promise<void>) {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const set = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(values);
  try {
    await body();
  } finally {
    set(saved);
  }
}

async function rejectsWith(promise: Promise<unknown>, status: number, kind: string): Promise<TesseraError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TesseraError, `expected a TesseraError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.kind, kind);
    assert.match(error.type, /^https?:\/\/.+\//);
    assert.ok(error.title.length > 0 && error.detail.length > 0);
    return error;
  }
  assert.fail(`expected a ${status} ${kind} problem`);
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let tessera: Tessera;
before(() => {
  tessera = createClient();
});

describe("configuration", () => {
  test("the token and the URL come from TESSERA_API_TOKEN and TESSERA_API_URL", async () => {
    const me = unwrap(await createClient().GET("/api/tokens/self"));
    assert.equal(me.name, "sdk tests");
    assert.deepEqual(me.scope, { kind: "account" });
    assert.equal(me.permissions.tokens, "write");
    assert.equal(createClient().baseUrl, BASE_URL);
  });

  test("the config wins over the environment", async () => {
    await withEnv({ TESSERA_API_TOKEN: "not a token", TESSERA_API_URL: "http://127.0.0.1:9" }, async () => {
      const client = createClient({ apiToken: TOKEN, baseUrl: `${BASE_URL}/` });
      assert.equal(client.baseUrl, BASE_URL);
      assert.equal(unwrap(await client.GET("/api/tokens/self")).name, "sdk tests");
      assert.throws(() => createClient(), TesseraTokenError);
    });
  });

  test("without any token the client says where to put one", async () => {
    await withEnv({ TESSERA_API_TOKEN: undefined }, async () => {
      assert.throws(() => createClient(), (error: Error) => {
        assert.ok(error instanceof TesseraTokenError);
        assert.match(error.message, /TESSERA_API_TOKEN/);
        return true;
      });
    });
  });

  test("a malformed token is refused before any request, and no error shows it", () => {
    const secretPart = TOKEN.slice(16, 48);
    const flipped = TOKEN.slice(0, 20) + (TOKEN[20] === "a" ? "b" : "a") + TOKEN.slice(21);
    const malformed = [
      TOKEN.replace("tsr_", "tsk_"), // wrong prefix
      TOKEN.slice(0, 40), // cut short
      `${TOKEN}x`, // too long
      TOKEN.slice(0, 30) + "-" + TOKEN.slice(31), // not base62
      flipped, // right shape, wrong checksum
    ];
    for (const token of malformed) {
      const { fetch, requests } = countingFetch();
      let thrown: unknown;
      try {
        createClient({ apiToken: token, baseUrl: BASE_URL, fetch });
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof TesseraTokenError, `accepted a malformed token (${token.length} chars)`);
      for (const text of [thrown.message, String(thrown), thrown.stack ?? "", JSON.stringify(thrown)]) {
        assert.ok(!text.includes(token), "the error shows the token");
        assert.ok(!text.includes(secretPart), "the error shows the token's secret");
      }
      assert.deepEqual(requests, []);
    }
    assert.match(String((() => { try { checkToken(flipped); } catch (e) { return e; } })()), /checksum/);
  });

  test("a well-formed token the server does not know is a 401 problem that does not show it", async () => {
    const token = forgedToken();
    assert.equal(checkToken(` ${token}\n`), token);
    const error = await rejectsWith(createClient({ apiToken: token }).GET("/api/tokens/self"), 401, "invalid-token");
    assert.ok(!error.message.includes(token) && !JSON.stringify(error).includes(token));
  });
});

describe("tokens", () => {
  test("create, list, use and revoke a token", async () => {
    const name = `${RUN}-reader`;
    const created = unwrap(
      await tessera.POST("/api/tokens", {
        body: { name, permissions: { agents: "read", tokens: "read", storage: "read" } },
      }),
    );
    assert.ok(checkToken(created.plaintext) === created.plaintext, "the new token is well-formed");
    assert.equal(created.token.name, name);
    assert.equal(created.token.status, "active");
    assert.ok(created.plaintext.startsWith(created.token.prefix.replace(/…$/, "")));

    const listed = unwrap(await tessera.GET("/api/tokens", { params: { query: { search: name } } }));
    assert.equal(listed.total, 1);
    assert.equal(listed.items[0]?.id, created.token.id);
    assert.ok(!JSON.stringify(listed).includes(created.plaintext));

    const reader = createClient({ apiToken: created.plaintext });
    const me = unwrap(await reader.GET("/api/tokens/self"));
    assert.equal(me.id, created.token.id);
    assert.equal(me.permissions.agents, "read");
    assert.equal(me.permissions.executions, "none");

    const revoked = unwrap(
      await tessera.POST("/api/tokens/{id}/revoke", { params: { path: { id: created.token.id } } }),
    );
    assert.equal(revoked.status, "revoked");
    await rejectsWith(reader.GET("/api/tokens/self"), 401, "invalid-token");
  });

  test("a refused permission is a 403 TesseraError naming what was needed", async () => {
    const created = unwrap(
      await tessera.POST("/api/tokens", { body: { name: `${RUN}-no-agents`, permissions: { agents: "read" } } }),
    );
    const reader = createClient({ apiToken: created.plaintext });
    const error = await rejectsWith(
      reader.POST("/api/agent-base", { body: { name: `${RUN}-refused`, version: "1.0.0" } }),
      403,
      "insufficient-scope",
    );
    assert.equal(error.required, "agents:write");
    assert.equal(error.retryAfter, undefined);
    assert.ok(error instanceof Error && error.message.includes("agents:write"));
  });

  test("an id that does not exist is a 404 TesseraError", async () => {
    await rejectsWith(
      tessera.GET("/api/tokens/{id}", { params: { path: { id: "0123456789abcdef0123456789abcdef" } } }),
      404,
      "not-found",
    );
  });

  test("a body that breaks the rules is a 422 TesseraError with the field's messages", async () => {
    const error = await rejectsWith(tessera.POST("/api/tokens", { body: { name: "" } }), 422, "validation");
    assert.ok(error.errors && Object.keys(error.errors).includes("name"), JSON.stringify(error.errors));
  });

  test("paginate walks every page of a list", async () => {
    const prefix = `${RUN}-page`;
    const names = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
    for (const name of names) unwrap(await tessera.POST("/api/tokens", { body: { name } }));
    const { fetch, requests } = countingFetch();
    const client = createClient({ fetch });
    const seen: string[] = [];
    for await (const token of client.paginate("/api/tokens", { query: { search: prefix, sort: "name_asc" }, pageSize: 2 })) {
      seen.push(token.name);
    }
    assert.deepEqual(seen.sort(), names);
    assert.equal(requests.length, 3, requests.join(", "));
    assert.ok(requests.every((line) => line.includes("limit=2")));
    assert.ok(requests.some((line) => line.includes("offset=4")));
  });
});

describe("agents", () => {
  test("install an agent, execute its manual trigger and read the execution back", async () => {
    const agent = unwrap(
      await tessera.POST("/api/agent-base", {
        body: {
          name: `${RUN}-greeter`,
          version: "1.0.0",
          config: { steps: [{ id: "greet", kind: "template", template: "Hello {{ input.name }}" }] },
        },
      }),
    );
    assert.equal(agent.config.steps.length, 1);
    const trigger = unwrap(
      await tessera.POST("/api/agent-base/triggers", {
        body: { name: `${RUN}-run`, agent_id: agent.id, environment_id: ENVIRONMENT_ID, kind: "manual" },
      }),
    );
    assert.equal(trigger.kind, "manual");
    const executed = unwrap(
      await tessera.POST("/api/agent-base/triggers/{id}/execute", {
        params: { path: { id: trigger.id } },
        body: { input: { name: "Ada" } },
      }),
    );
    assert.deepEqual(executed.execution.input, { name: "Ada" });

    const path = { id: agent.id, execution_id: executed.execution_id };
    const done = await eventually("the execution to finish", async () => {
      const execution = unwrap(await tessera.GET("/api/agent-base/{id}/executions/{execution_id}", { params: { path } }));
      return ["queued", "running"].includes(execution.status) ? undefined : execution;
    });
    assert.equal(done.status, "succeeded", done.error ?? "");
    // A template step's output is its text: the document types output as any JSON.
    assert.equal(done.output, "Hello Ada");
    assert.equal(done.trigger_id, trigger.id);
    assert.deepEqual(done.steps?.map((step) => [step.step_id, step.kind, step.status]), [["greet", "template", "succeeded"]]);

    const runs = unwrap(
      await tessera.GET("/api/agent-base/{id}/executions", { params: { path: { id: agent.id }, query: { status: "succeeded" } } }),
    );
    assert.deepEqual(runs.items.map((run) => run.id), [executed.execution_id]);
  });
});

describe("storage", () => {
  test("upload bytes and download them unchanged", async () => {
    const bytes = new Uint8Array(70_000);
    bytes.set(randomBytes(bytes.length));
    for (let i = 0; i < 256; i++) bytes[i] = i;
    const stored = await tessera.upload(`${RUN}.bin`, bytes);
    assert.equal(stored.size, bytes.length);
    assert.equal(stored.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(stored.name, `${RUN}.bin`);

    const back = await tessera.download(stored.id);
    assert.equal(back.length, bytes.length);
    assert.ok(Buffer.from(back).equals(Buffer.from(bytes)), "the downloaded bytes differ");

    await tessera.DELETE("/api/knowledge-base/storage/{file}", { params: { path: { file: stored.id } } });
    await rejectsWith(tessera.download(stored.id), 404, "not-found");
  });
});

describe("assistant", () => {
  test("the chat stream yields the answer's typed events, citing the uploaded document", async () => {
    const word = `Zephyrine${RUN.replace(/[^a-z0-9]/gi, "")}`;
    const text =
      `# Keeper handbook ${RUN}\n\nThe lighthouse keeper feeds the cat named ${word} every morning at seven.\n\n` +
      "The lamp is cleaned on Sundays with a soft cloth.\n";
    const stored = await tessera.upload(`${RUN}-handbook.md`, new TextEncoder().encode(text), "text/markdown");
    assert.ok(stored.document_id, "a Markdown file becomes a knowledge-base document");
    await eventually("the document to be indexed", async () => {
      const document = unwrap(
        await tessera.GET("/api/knowledge-base/{document_id}", { params: { path: { document_id: stored.document_id! } } }),
      );
      assert.notEqual(document.status, "failed", document.failure ?? "");
      return document.status === "ready" ? document : undefined;
    });

    const events: ChatEvent[] = [];
    for await (const event of tessera.chat({ message: `Who feeds the cat named ${word}?` })) events.push(event);

    const names = events.map((event) => event.event);
    assert.equal(names[0], "message.created");
    assert.equal(names.at(-1), "message.completed");
    assert.ok(!names.includes("error"), JSON.stringify(events));
    const citations = events.flatMap((event) => (event.event === "citation" ? [event.data] : []));
    assert.ok(citations.some((citation) => citation.document_id === stored.document_id), "cites the document");
    const answer = events.flatMap((event) => (event.event === "text.delta" ? [event.data.delta] : [])).join("");
    assert.match(answer, new RegExp(word));
    const completed = events.at(-1) as Extract<ChatEvent, { event: "message.completed" }>;
    assert.equal(completed.data.answerer, "extractive");
    assert.equal(completed.data.finish_reason, "stop");
    assert.ok(completed.data.citations.length > 0);

    const created = events[0] as Extract<ChatEvent, { event: "message.created" }>;
    const conversation = unwrap(
      await tessera.GET("/api/assistant/chat/history/{conversation_id}", {
        params: { path: { conversation_id: created.data.conversation_id } },
      }),
    );
    assert.ok(JSON.stringify(conversation).includes(word));
  });

  test("a question the server refuses throws before the stream starts", async () => {
    await rejectsWith(tessera.chat({ message: "" }).next(), 422, "validation");
  });
});

describe("the generated schema", () => {
  test("has a typed method for every route of the server's OpenAPI document", async () => {
    const response = await fetch(`${BASE_URL}/api/openapi.json`);
    const live = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const schema = await readFile(new URL("../src/schema.ts", import.meta.url), "utf8");
    const typed = new Set<string>();
    for (const block of schema.split(/\n    "(?=\/)/).slice(1)) {
      const path = block.slice(0, block.indexOf('"'));
      for (const match of block.matchAll(/\n        (get|put|post|delete|patch|head|options|trace): operations\[/g)) {
        typed.add(`${match[1]!.toUpperCase()} ${path}`);
      }
    }
    const routes = Object.entries(live.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ["get", "put", "post", "delete", "patch", "head", "options", "trace"].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.ok(routes.length > 40);
    assert.deepEqual(routes.filter((route) => !typed.has(route)), [], "routes without a typed method: regenerate");
    assert.deepEqual([...typed].filter((route) => !routes.includes(route)), [], "typed methods the server lacks");
  });
});

