// The relay between KakaoAspire's agent-router and this plugin is authenticated with a secret derived from the
// OpenClaw gateway token: both sides already hold the token, neither sends it, and a leaked relay secret cannot
// be used as a gateway token. The C# side computes the same value (OpenClawRelaySecret).
import { createHmac } from "node:crypto";

export const RELAY_SECRET_HEADER = "x-kakao-relay-secret";
export const RELAY_PATH = "/kakao/relay";

export function gatewayToken(cfg, env = process.env) {
  const configured = cfg?.gateway?.auth?.token;
  if (typeof configured === "string" && configured.trim()) return configured.trim();
  return env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined;
}

export function relaySecret(token) {
  return token ? createHmac("sha256", token).update("kakao-relay-v1").digest("hex") : undefined;
}
