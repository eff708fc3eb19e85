// DM pairing for Kakao users lives in OpenClaw's own pairing store, so `openclaw pairing list|approve kakao` and the
// Control UI's "DM access requests" see and approve the same requests KakaoAspire's webhook hands out:
// - the webhook asks this route (POST /kakao/pairing, the relay's secret) about an unknown user of a pairing account:
//   "approved" when OpenClaw's allow store has them, else OpenClaw's pairing code (created here, shown to the user);
// - `openclaw pairing approve kakao <CODE> --notify` (or the Control UI with "notify") calls notifyApproval, which
//   tells KakaoAspire at once; without --notify the webhook learns it on the user's next message;
// - an approval made on KakaoAspire's side (`moltbot pairing approve kakao`) is brought into OpenClaw's store through
//   the gateway's own `channels.pairing.approve` method (scope operator.pairing), called over loopback with the token.
import { callGatewayFromCli } from "openclaw/plugin-sdk/gateway-runtime";
import { CHANNEL_ID, resolveAccount } from "./config.js";
import { callKakaoApi, describeProblem } from "./kakao-api.js";
import { gatewayToken } from "./relay-secret.js";
import { acceptSecretPost, respondJson } from "./route.js";

export const PAIRING_PATH = "/kakao/pairing";
const MAX_BODY_BYTES = 16 * 1024;
const RPC_TIMEOUT_MS = 15_000;

// Kakao user keys are compared without case on both sides (KakaoAspire keeps approved ids lowercased).
const same = (a, b) => String(a ?? "").trim().toLowerCase() === String(b ?? "").trim().toLowerCase();

export const kakaoPairingAdapter = {
  idLabel: "kakaoUserKey",
  normalizeAllowEntry: (entry) => entry.replace(/^kakao:/i, "").trim(),
  // Called by OpenClaw after an approval when the operator asked to notify the requester: KakaoAspire's webhook lets
  // the user through from now on (without it, the webhook reads OpenClaw's store on the user's next message).
  notifyApproval: async ({ cfg, id, accountId }) => {
    const reply = await callKakaoApi(cfg, "POST", "/api/v1/pairing/kakao/approved", {
      body: { accountId: accountId || undefined, userId: String(id) },
    });
    if (reply.status !== 200) throw new Error(`KakaoAspire did not record the approval: ${describeProblem(reply)}`);
  },
};

/** "approved" when OpenClaw's allow store has one of the user's ids, else OpenClaw's pending request for the user. */
async function requestPairing(rt, accountId, userKey, ids, meta) {
  const allowed = await rt.channel.pairing.readAllowFromStore({ channel: CHANNEL_ID, accountId });
  const candidates = [userKey, ...ids];
  if (allowed.some((entry) => candidates.some((id) => same(entry, id)))) {
    return { approved: true };
  }
  const { code, created } = await rt.channel.pairing.upsertPairingRequest({
    channel: CHANNEL_ID,
    id: userKey,
    accountId,
    meta: { ...meta, senderId: userKey },
  });
  // An empty code: the account already has 3 pending requests (OpenClaw's cap); the user gets no code now.
  return { approved: false, code: code || null, created: created === true };
}

// The gateway's own method, as the Control UI calls it: the pending request of this user becomes an approval in
// OpenClaw's store. The request id is OpenClaw's (listed by channels.pairing.list); the code is never sent.
async function approveInOpenClaw(rt, cfg, port, accountId, userKey) {
  const opts = { url: `ws://127.0.0.1:${port}`, token: gatewayToken(cfg), timeout: String(RPC_TIMEOUT_MS) };
  const extra = { scopes: ["operator.pairing"], progress: false };
  const allowed = async () =>
    (await rt.channel.pairing.readAllowFromStore({ channel: CHANNEL_ID, accountId })).some((entry) => same(entry, userKey));
  const list = await callGatewayFromCli("channels.pairing.list", opts, { channel: CHANNEL_ID, accountId }, extra);
  const pending = (list?.requests ?? []).find((r) => same(r.accountId, accountId) && same(r.senderId, userKey));
  if (!pending) return { openclaw: (await allowed()) ? "already-approved" : "no-request" };
  await callGatewayFromCli("channels.pairing.approve", opts,
    { channel: CHANNEL_ID, accountId, requestId: pending.requestId }, extra);
  return { openclaw: "approved" };
}

export function createPairingHandler(api) {
  return async (req, res) => {
    const cfg = api.runtime.config.current();
    const accepted = await acceptSecretPost(req, res, cfg, { name: "pairing route", probe: { pairing: "openclaw" }, maxBodyBytes: MAX_BODY_BYTES });
    if (!accepted) return true;
    const body = accepted.body;
    const action = body?.action;
    if (action !== "request" && action !== "approve" && action !== "approved") {
      return respondJson(res, 400, { error: 'action must be "request", "approve" or "approved"', field: "action" });
    }
    const accountId = resolveAccount(cfg, body.accountId).accountId;
    if (action === "approved") {
      // Which of these users OpenClaw's store has approved (KakaoAspire drops their requests from its own list).
      const userKeys = Array.isArray(body.userKeys) ? body.userKeys.filter((k) => typeof k === "string") : [];
      try {
        const allowed = await api.runtime.channel.pairing.readAllowFromStore({ channel: CHANNEL_ID, accountId });
        return respondJson(res, 200, { ok: true, accountId, approved: userKeys.filter((k) => allowed.some((a) => same(a, k))) });
      } catch (error) {
        return respondJson(res, 502, { error: `OpenClaw's pairing store failed: ${error?.message ?? error}` });
      }
    }
    const userKey = typeof body.userKey === "string" ? body.userKey.trim() : "";
    if (!userKey) return respondJson(res, 400, { error: "userKey must be a non-empty string", field: "userKey" });
    try {
      if (action === "request") {
        const ids = Array.isArray(body.ids) ? body.ids.filter((id) => typeof id === "string" && id.trim()) : [];
        const meta = body.name && typeof body.name === "string" ? { name: body.name } : {};
        return respondJson(res, 200, { ok: true, accountId, ...(await requestPairing(api.runtime, accountId, userKey, ids, meta)) });
      }
      return respondJson(res, 200, { ok: true, accountId, ...(await approveInOpenClaw(api.runtime, cfg, req.socket.localPort, accountId, userKey)) });
    } catch (error) {
      api.logger.warn?.(`kakao pairing: ${action} for account ${accountId} failed: ${error?.message ?? error}`);
      return respondJson(res, 502, { error: `OpenClaw's pairing store failed: ${error?.message ?? error}` });
    }
  };
}
