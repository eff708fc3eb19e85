// The relay route on the OpenClaw gateway: KakaoAspire's agent-router posts one Kakao agent turn here and gets the
// agent's reply back in the response. The turn enters OpenClaw as a real `kakao` channel message: OpenClaw's
// bindings pick the agent and the session key is OpenClaw's for channel kakao and that user. The Kakao side
// (5-second deadline, callback, paging, dedupe, DM policy) stays in KakaoAspire, which admitted the user already.
import { resolveStableChannelMessageIngress } from "openclaw/plugin-sdk/channel-ingress-runtime";
import { buildAgentSessionKey } from "openclaw/plugin-sdk/routing";
import { CHANNEL_ID, resolveAccount } from "./config.js";
import { acceptSecretPost, respondJson } from "./route.js";

const MAX_BODY_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
// A retried turn (same turnId) joins the run already going or gets its answer: one agent run per Kakao turn.
const RECENT_TTL_MS = 10 * 60_000;
const RECENT_MAX = 2000;
const recent = new Map();

function remember(turnId, promise) {
  const now = Date.now();
  for (const [key, entry] of recent) {
    if (recent.size < RECENT_MAX && now - entry.at < RECENT_TTL_MS) break;
    recent.delete(key);
  }
  recent.set(turnId, { at: now, promise });
  // A failed run may be retried with the same turn id.
  promise.catch(() => recent.delete(turnId));
}

function toPayload(payload) {
  const mediaUrls = [...new Set([payload.mediaUrl, ...(payload.mediaUrls ?? [])].filter(Boolean))];
  return {
    text: payload.text ?? payload.body ?? "",
    mediaUrls,
    isError: payload.isError === true,
  };
}

async function runTurn(api, turn) {
  const rt = api.runtime;
  const cfg = rt.config.current();
  const account = resolveAccount(cfg, turn.accountId);
  const userKey = String(turn.userKey);
  const route = rt.channel.routing.resolveAgentRoute({
    cfg,
    channel: CHANNEL_ID,
    accountId: account.accountId,
    peer: { kind: "direct", id: userKey },
  });
  // OpenClaw's default dmScope "main" would put every Kakao user into one session (agent:<id>:main): each
  // Kakao user is a different person, so the session is per user unless the config asks for per-account keys.
  const dmScope = route.dmScope && route.dmScope !== "main" ? route.dmScope : "per-channel-peer";
  const sessionKey = buildAgentSessionKey({
    agentId: route.agentId,
    channel: CHANNEL_ID,
    accountId: account.accountId,
    peer: { kind: "direct", id: userKey },
    dmScope,
    identityLinks: cfg.session?.identityLinks,
  });
  const payloads = [];
  // KakaoAspire already applied the account's dmPolicy (pairing, allowlist) before the turn reached the router.
  const resolveIngress = (contextBinding) =>
    resolveStableChannelMessageIngress({
      channelId: CHANNEL_ID,
      accountId: account.accountId,
      identity: { key: "sender-id", entryIdPrefix: "kakao-entry" },
      subject: { stableId: userKey },
      conversation: { kind: "direct", id: userKey },
      ...(contextBinding ? { contextBinding } : {}),
      event: { mayPair: false },
      dmPolicy: "open",
      allowFrom: ["*"],
    });
  await rt.channel.inbound.run({
    channel: CHANNEL_ID,
    accountId: account.accountId,
    raw: turn,
    adapter: {
      ingest: (raw) => ({
        id: String(raw.turnId),
        timestamp: Date.now(),
        rawText: raw.text,
        textForAgent: raw.text,
        textForCommands: raw.text,
        raw,
      }),
      resolveTurn: async (input) => {
        const channelIngress = await resolveIngress({
          agentId: route.agentId,
          sessionKey,
          messageId: input.id,
          inboundEventKind: "user_request",
        });
        const ctxPayload = rt.channel.inbound.buildContext({
          channelIngress,
          channel: CHANNEL_ID,
          accountId: account.accountId,
          messageId: input.id,
          timestamp: input.timestamp,
          from: `kakao:${userKey}`,
          sender: { id: userKey, name: turn.userName || undefined },
          conversation: { kind: "direct", id: userKey, label: turn.userName || userKey },
          route: {
            agentId: route.agentId,
            dmScope,
            accountId: account.accountId,
            routeSessionKey: sessionKey,
            dispatchSessionKey: sessionKey,
          },
          reply: { to: `kakao:${userKey}` },
          message: { rawBody: input.rawText, commandBody: input.textForCommands, bodyForAgent: input.textForAgent },
          extra: { ChatType: "direct", CommandAuthorized: true },
        });
        return {
          cfg,
          channel: CHANNEL_ID,
          accountId: account.accountId,
          route: { agentId: route.agentId, dmScope, sessionKey },
          ctxPayload,
          delivery: {
            // The reply goes back in the relay's response; KakaoAspire renders it for Kakao (no provider send here).
            deliver: async (payload) => {
              payloads.push(toPayload(payload));
              return { visibleReplySent: true };
            },
          },
          record: {
            onRecordError: (err) => api.logger.warn?.(`kakao relay: session record failed: ${err?.message ?? err}`),
          },
        };
      },
    },
  });
  return { agentId: route.agentId, sessionKey, payloads };
}

// Another OpenClaw process on the same state folder (an `openclaw` CLI command, a gateway still starting) can hold
// OpenClaw's state lock for a moment; the turn then fails before the agent runs. Such a turn is tried again.
function isStateLockContention(error) {
  return /owns state-lifecycle|StateDatabaseCoordinatorContention/.test(`${error?.name ?? ""} ${error?.message ?? ""}`);
}

async function runTurnWithRetries(api, turn, deadline) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTurn(api, turn);
    } catch (error) {
      const wait = Math.min(500 * 2 ** (attempt - 1), 4000);
      if (!isStateLockContention(error) || attempt >= 6 || Date.now() + wait >= deadline) throw error;
      api.logger.info?.(`kakao relay: turn ${turn.turnId} waits for OpenClaw's state lock (attempt ${attempt})`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export function createRelayHandler(api) {
  return async (req, res) => {
    const cfg = api.runtime.config.current();
    const accepted = await acceptSecretPost(req, res, cfg, { name: "relay", maxBodyBytes: MAX_BODY_BYTES });
    if (!accepted) return true;
    const turn = accepted.body;
    for (const field of ["turnId", "userKey", "text"]) {
      if (typeof turn?.[field] !== "string" || (field !== "text" && !turn[field].trim())) {
        return respondJson(res, 400, { error: `${field} must be a string`, field });
      }
    }
    const timeoutMs = Math.min(Math.max(Number(turn.timeoutMs) || DEFAULT_TIMEOUT_MS, 1000), 10 * 60_000);
    let entry = recent.get(turn.turnId);
    const replayed = entry !== undefined;
    if (!entry) {
      const promise = runTurnWithRetries(api, turn, Date.now() + timeoutMs);
      remember(turn.turnId, promise);
      entry = recent.get(turn.turnId);
    }
    let timer;
    try {
      const result = await Promise.race([
        entry.promise,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { status: 504 })), timeoutMs);
        }),
      ]);
      return respondJson(res, 200, { ok: true, replayed, ...result });
    } catch (error) {
      if (error?.status === 504) {
        return respondJson(res, 504, { error: `no reply within ${timeoutMs} ms`, status: "timeout" });
      }
      api.logger.warn?.(`kakao relay: turn ${turn.turnId} failed: ${error?.message ?? error}`);
      return respondJson(res, 502, { error: `agent run failed: ${error?.message ?? error}`, status: "error" });
    } finally {
      clearTimeout(timer);
    }
  };
}
