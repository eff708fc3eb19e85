// channels.kakao as the KakaoAspire app reads it (the same keys, the same account merge), so one config file
// configures both sides. Only what the plugin needs is resolved here; the app validates the rest strictly.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const CHANNEL_ID = "kakao";
export const DEFAULT_ACCOUNT_ID = "default";
export const DEFAULT_WEBHOOK_PORT = 8788;
export const DEFAULT_WEBHOOK_PATH = "/kakao/webhook";

const CHANNEL_ONLY = new Set(["defaultAccount", "apiRateLimitPerMinute", "moltbotGateway", "accounts"]);

export function kakaoSection(cfg) {
  const section = cfg?.channels?.[CHANNEL_ID];
  return section && typeof section === "object" ? section : {};
}

export function listAccountIds(cfg) {
  const accounts = kakaoSection(cfg).accounts;
  const ids = accounts && typeof accounts === "object" ? Object.keys(accounts).map((id) => id.trim().toLowerCase()) : [];
  return ids.length > 0 ? ids.sort() : [DEFAULT_ACCOUNT_ID];
}

export function defaultAccountId(cfg) {
  const ids = listAccountIds(cfg);
  const wanted = kakaoSection(cfg).defaultAccount?.trim?.().toLowerCase();
  if (wanted && ids.includes(wanted)) return wanted;
  return ids.includes(DEFAULT_ACCOUNT_ID) ? DEFAULT_ACCOUNT_ID : ids[0];
}

function rawAccount(section, id) {
  const accounts = section.accounts ?? {};
  const key = Object.keys(accounts).find((k) => k.trim().toLowerCase() === id);
  return key === undefined ? {} : accounts[key] ?? {};
}

// Base fields, overridden per key by accounts.<id> (outbound merged per key); either level can switch an account off.
export function resolveAccount(cfg, accountId) {
  const section = kakaoSection(cfg);
  const id = (accountId ?? "").trim().toLowerCase() || defaultAccountId(cfg);
  const base = Object.fromEntries(Object.entries(section).filter(([k]) => !CHANNEL_ONLY.has(k)));
  const own = rawAccount(section, id);
  const merged = { ...base, ...own, outbound: { ...(base.outbound ?? {}), ...(own.outbound ?? {}) } };
  const enabled = base.enabled !== false && own.enabled !== false;
  const port = Number.parseInt(String(merged.webhookPort ?? DEFAULT_WEBHOOK_PORT), 10);
  const adminKey = merged.adminKey ?? (id === defaultAccountId(cfg) ? process.env.KAKAO_ADMIN_KEY : undefined);
  return {
    accountId: id,
    name: merged.name ?? undefined,
    enabled,
    webhookPort: Number.isFinite(port) ? port : DEFAULT_WEBHOOK_PORT,
    webhookPath: merged.webhookPath ?? DEFAULT_WEBHOOK_PATH,
    dmPolicy: merged.dmPolicy ?? "open",
    allowFrom: (merged.allowFrom ?? []).map(String),
    hasAdminKey: Boolean(adminKey && String(adminKey).trim()),
    nhnConfigured: Boolean(merged.senderKey && merged.toastAppKey && merged.toastSecretKey),
    phoneProvider: merged.outbound.phoneProvider ?? "friendtalk-compat",
    hasWebhookSecret: Boolean(merged.webhookSecret),
  };
}

/** Where KakaoAspire's API is: the default account's edge port on this machine, unless KAKAO_API_URL says otherwise. */
export function apiBaseUrl(cfg, env = process.env) {
  const explicit = env.KAKAO_API_URL || env.MOLTBOT_GATEWAY_URL;
  if (explicit) return explicit.replace(/\/+$/, "");
  return `http://127.0.0.1:${resolveAccount(cfg, defaultAccountId(cfg)).webhookPort}`;
}

/** KakaoAspire's state folder: MOLTBOT_STATE_DIR, else ~/.moltbot (where it writes a generated API token). */
export function kakaoStateDirectory(env = process.env) {
  return join(env.MOLTBOT_STATE_DIR || join(env.HOME || homedir(), ".moltbot"), "kakao");
}

/**
 * The bearer for KakaoAspire's /api/v1: KAKAO_API_TOKEN, else gateway.auth.token (one file configures both),
 * else the token KakaoAspire generated on first start. Returns { value, source } and never logs it.
 */
export function apiToken(cfg, env = process.env) {
  if (env.KAKAO_API_TOKEN) return { value: env.KAKAO_API_TOKEN, source: "KAKAO_API_TOKEN" };
  const configured = cfg?.gateway?.auth?.token;
  if (typeof configured === "string" && configured.trim()) return { value: configured.trim(), source: "config" };
  const path = join(kakaoStateDirectory(env), "gateway-token");
  try {
    const value = readFileSync(path, "utf8").trim();
    if (value) return { value, source: "file", path };
  } catch {
    // not generated yet: the app has not run on this machine
  }
  if (env.OPENCLAW_GATEWAY_TOKEN) return { value: env.OPENCLAW_GATEWAY_TOKEN, source: "OPENCLAW_GATEWAY_TOKEN" };
  return { value: undefined, source: "none", path };
}
