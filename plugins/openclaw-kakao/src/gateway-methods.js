// Gateway method `kakao.send` (scope operator.write): `openclaw gateway call kakao.send --params '{…}'`, cron, hooks.
import { sendKakaoMessage } from "./kakao-api.js";

export function createKakaoSendHandler(api) {
  return async ({ params, respond }) => {
    const p = params ?? {};
    const missing = ["to", "idempotencyKey"].find((k) => typeof p[k] !== "string" || !p[k].trim());
    if (missing) {
      respond(false, undefined, { code: "INVALID_REQUEST", message: `kakao.send: ${missing} is required (string)` });
      return;
    }
    if (!(typeof p.message === "string" && p.message.length > 0) && !p.mediaUrl) {
      respond(false, undefined, { code: "INVALID_REQUEST", message: "kakao.send: message or mediaUrl is required" });
      return;
    }
    try {
      const result = await sendKakaoMessage(api.runtime.config.current(), {
        to: p.to.trim(),
        message: p.message,
        mediaUrl: p.mediaUrl,
        accountId: p.accountId,
        idempotencyKey: p.idempotencyKey.trim(),
      });
      respond(true, { ok: true, channel: "kakao", ...result });
    } catch (error) {
      respond(false, undefined, {
        code: error.unreachable ? "UNAVAILABLE" : "INVALID_REQUEST",
        message: `kakao.send: ${error.message}`,
      });
    }
  };
}
