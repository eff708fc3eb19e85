// KakaoAspire's HTTP API (POST /api/v1/messages, the pairing API, /api/v1/status), bearer = its API token.
// Durability, dedupe by idempotency key, night window and daily cap all live there: this only forwards.
import { apiBaseUrl, apiToken } from "./config.js";

export class KakaoApiError extends Error {
  constructor(message, { status, unreachable = false } = {}) {
    super(message);
    this.name = "KakaoApiError";
    this.status = status;
    this.unreachable = unreachable;
  }
}

export async function callKakaoApi(cfg, method, path, { body, headers = {}, timeoutMs = 15000 } = {}) {
  const base = apiBaseUrl(cfg);
  const token = apiToken(cfg);
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token.value ? { authorization: `Bearer ${token.value}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new KakaoApiError(
      `KakaoAspire is not reachable at ${base} (${error?.cause?.code ?? error?.name ?? "error"}). ` +
        "Start it with 'dotnet run --project KakaoAspire.AppHost' (or set KAKAO_API_URL).",
      { unreachable: true },
    );
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, ok: response.ok, body: json, retryAfter: response.headers.get("retry-after") };
}

/** The problem body's title, detail and field errors, as the moltbot CLI prints them. */
export function describeProblem(reply) {
  const b = reply.body ?? {};
  const errors = b.errors && typeof b.errors === "object"
    ? Object.entries(b.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ")
    : undefined;
  const text = [b.title, b.detail ?? b.error, errors].filter((p) => p && String(p).trim()).join(" — ");
  return `${reply.status}${text ? `: ${text}` : ""}`;
}

/**
 * One proactive send. The same idempotency key is one provider call, ever (KakaoAspire keeps the key), so a
 * retried OpenClaw delivery or a repeated `kakao.send` never reaches the user twice.
 */
export async function sendKakaoMessage(cfg, { to, message, mediaUrl, accountId, idempotencyKey }) {
  const reply = await callKakaoApi(cfg, "POST", "/api/v1/messages", {
    body: {
      channel: "kakao",
      accountId: accountId || undefined,
      to,
      message: message ?? "",
      mediaUrl: mediaUrl || undefined,
      idempotencyKey,
    },
    headers: { "idempotency-key": idempotencyKey },
  });
  if (reply.status !== 202 && reply.status !== 200) {
    throw new KakaoApiError(`Not sent: ${describeProblem(reply)}`, { status: reply.status });
  }
  return {
    messageId: reply.body?.messageId ?? reply.body?.id ?? "",
    status: reply.body?.status ?? "accepted",
    replayed: reply.body?.replayed === true,
    idempotencyKey,
  };
}
