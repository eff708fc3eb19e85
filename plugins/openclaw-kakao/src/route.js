// The front of the plugin's own HTTP routes on the gateway (the relay and pairing): KakaoAspire authenticates with
// the relay secret derived from the gateway token (compared in constant time, never logged), GET is the probe that
// tells this plugin's answer from the control UI's catch-all page, and POST carries one JSON body of bounded size.
import { safeEqualSecret } from "openclaw/plugin-sdk/security-runtime";
import { CHANNEL_ID } from "./config.js";
import { RELAY_SECRET_HEADER, gatewayToken, relaySecret } from "./relay-secret.js";

export function respondJson(res, status, body) {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
  return true;
}

async function readJson(req, maxBytes) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBytes) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
  } catch {
    throw Object.assign(new Error("body is not JSON"), { status: 400 });
  }
}

/**
 * Answers what is not an authenticated POST (no token, wrong secret, the GET probe, another method, a body too large
 * or not JSON) and returns null; otherwise returns { body }. `name` says which route is disabled; `probe` is added
 * to the GET probe's answer.
 */
export async function acceptSecretPost(req, res, cfg, { name, probe = {}, maxBodyBytes }) {
  const expected = relaySecret(gatewayToken(cfg));
  if (!expected) {
    respondJson(res, 503, {
      error: `${name} disabled: the gateway has no token (gateway.auth.token or OPENCLAW_GATEWAY_TOKEN); the relay secret is derived from it`,
    });
    return null;
  }
  if (!safeEqualSecret(String(req.headers[RELAY_SECRET_HEADER] ?? ""), expected)) {
    respondJson(res, 401, { error: `missing or wrong ${RELAY_SECRET_HEADER}` });
    return null;
  }
  if (req.method === "GET") {
    respondJson(res, 200, { ok: true, channel: CHANNEL_ID, plugin: "kakao", ...probe });
    return null;
  }
  if (req.method !== "POST") {
    res.setHeader("allow", "GET, POST");
    respondJson(res, 405, { error: "use POST" });
    return null;
  }
  try {
    return { body: await readJson(req, maxBodyBytes) };
  } catch (error) {
    respondJson(res, error.status ?? 400, { error: error.message });
    return null;
  }
}
