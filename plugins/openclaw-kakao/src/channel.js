// The `kakao` channel as OpenClaw sees it: accounts from channels.kakao, outbound sends through KakaoAspire's
// /api/v1/messages, status from KakaoAspire's /api/v1/status. Inbound arrives through the relay route (relay.js).
import { randomUUID } from "node:crypto";
import { createChatChannelPlugin } from "openclaw/plugin-sdk/channel-core";
import { waitUntilAbort } from "openclaw/plugin-sdk/channel-outbound";
import { channelReadyPatch, channelStoppedPatch } from "openclaw/plugin-sdk/gateway-runtime";
import { CHANNEL_ID, defaultAccountId, listAccountIds, resolveAccount } from "./config.js";
import { callKakaoApi, sendKakaoMessage } from "./kakao-api.js";
import { kakaoPairingAdapter } from "./pairing.js";

// Phone numbers go through NHN, kakao:<type>:<id> through Kakao's Event API; KakaoAspire validates the rest.
const KAKAO_ADDRESS = /^kakao:(botUserKey|plusfriendUserKey|appUserId):.+$/i;
const PHONE = /^\+?[0-9][0-9 ()-]{6,}$/;

export function normalizeTarget(target) {
  const trimmed = String(target ?? "").trim();
  if (!trimmed) return undefined;
  if (KAKAO_ADDRESS.test(trimmed)) return trimmed;
  const unprefixed = trimmed.replace(/^kakao:/i, "");
  return PHONE.test(unprefixed) ? unprefixed : undefined;
}

// A retried OpenClaw delivery carries the same durable intent id, so it maps to the same KakaoAspire key.
function idempotencyKeyFor(ctx) {
  if (ctx.deliveryQueueId) return `openclaw:${ctx.deliveryQueueId}:${ctx.deliveryPartIndex ?? 0}`;
  return `openclaw:${randomUUID()}`;
}

async function send(ctx, mediaUrl) {
  const to = normalizeTarget(ctx.to) ?? ctx.to;
  const result = await sendKakaoMessage(ctx.cfg, {
    to,
    message: ctx.text,
    mediaUrl,
    accountId: ctx.accountId,
    idempotencyKey: idempotencyKeyFor(ctx),
  });
  return { channel: CHANNEL_ID, messageId: result.messageId, to };
}

export const kakaoPlugin = createChatChannelPlugin({
  base: {
    id: CHANNEL_ID,
    meta: {
      id: CHANNEL_ID,
      label: "KakaoTalk",
      selectionLabel: "KakaoTalk (KakaoAspire)",
      detailLabel: "KakaoTalk (KakaoAspire)",
      docsPath: "/channels/kakao",
      blurb: "KakaoTalk through KakaoAspire",
      order: 95,
    },
    capabilities: {
      chatTypes: ["direct"],
      media: true,
      threads: false,
      reactions: false,
      edit: false,
      unsend: false,
      reply: false,
      effects: false,
      blockStreaming: false,
    },
    reload: { configPrefixes: [`channels.${CHANNEL_ID}`] },
    config: {
      listAccountIds,
      resolveAccount,
      defaultAccountId,
      isEnabled: (account) => account.enabled,
      isConfigured: () => true,
      inspectAccount: (cfg, accountId) => {
        const account = resolveAccount(cfg, accountId);
        return { enabled: account.enabled, configured: true, tokenStatus: account.hasAdminKey ? "available" : "missing" };
      },
      resolveAllowFrom: ({ cfg, accountId }) => resolveAccount(cfg, accountId).allowFrom,
    },
    messaging: {
      targetPrefixes: [CHANNEL_ID],
      normalizeTarget,
      inferTargetChatType: ({ to }) => (normalizeTarget(to) ? "direct" : undefined),
      targetResolver: {
        looksLikeId: (id) => normalizeTarget(id) !== undefined,
        hint: "<010-1234-5678 | kakao:botUserKey:<id>>",
      },
    },
    // Nothing to connect: KakaoAspire receives Kakao's webhooks and relays turns here. The account is "running"
    // while the gateway is, so OpenClaw's health monitor does not restart it.
    gateway: {
      startAccount: async (ctx) => {
        ctx.log?.info?.(`KakaoTalk account ${ctx.accountId}: turns arrive from KakaoAspire on /kakao/relay`);
        ctx.setStatus?.(channelReadyPatch({ accountId: ctx.accountId }));
        return waitUntilAbort(ctx.abortSignal, async () => {
          ctx.setStatus?.(channelStoppedPatch({ accountId: ctx.accountId }));
        });
      },
      stopAccount: async () => {},
    },
    status: {
      probeAccount: async ({ cfg, account }) => {
        const reply = await callKakaoApi(cfg, "GET", "/api/v1/status", { timeoutMs: 5000 }).catch((e) => ({ error: e }));
        if (reply.error) return { ok: false, error: reply.error.message };
        if (reply.status !== 200) return { ok: false, error: `KakaoAspire /api/v1/status answered ${reply.status}` };
        const live = (reply.body?.accounts ?? []).find((a) => (a.id ?? a.accountId) === account.accountId);
        return { ok: true, kakaoAspire: "reachable", account: live ?? null };
      },
      buildAccountSnapshot: ({ account, runtime, probe }) => ({
        accountId: account.accountId,
        name: account.name,
        enabled: account.enabled,
        configured: true,
        running: probe?.ok ?? runtime?.running ?? false,
        mode: "webhook",
        webhookPath: account.webhookPath,
        dmPolicy: account.dmPolicy,
        allowFrom: account.allowFrom,
        probe,
        lastError: probe && !probe.ok ? probe.error : runtime?.lastError ?? null,
      }),
    },
  },
  // OpenClaw's pairing store is the Kakao channel's: `openclaw pairing list|approve kakao` works (see pairing.js).
  pairing: kakaoPairingAdapter,
  outbound: {
    deliveryMode: "direct",
    textChunkLimit: 4000,
    sendText: async (ctx) => await send(ctx, undefined),
    sendMedia: async (ctx) => {
      if (!ctx.mediaUrl) throw new Error("KakaoTalk media send needs mediaUrl (an https image URL)");
      return await send(ctx, ctx.mediaUrl);
    },
  },
});
