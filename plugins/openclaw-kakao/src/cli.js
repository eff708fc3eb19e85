// `openclaw kakao status|send|setup`: the same texts, exit codes and --json as KakaoAspire's `moltbot kakao …`.
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { apiBaseUrl, apiToken, listAccountIds, resolveAccount } from "./config.js";
import { callKakaoApi } from "./kakao-api.js";

// Output goes to the process's own stdout and stderr: inside the openclaw CLI, console.log is routed to stderr, and
// `--json` must be on stdout for scripts.
const stdio = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

// moltbot's ExitCodes.
export const EXIT = { ok: 0, failed: 1, invalidInput: 2, gatewayUnreachable: 3 };
const FINAL = ["sent", "delivered", "failed"];
const STATUS_NAMES = {
  400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
  422: "UnprocessableEntity", 429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway",
  503: "ServiceUnavailable", 504: "GatewayTimeout",
};

function describe(reply) {
  const b = reply.body ?? {};
  const errors = b.errors && typeof b.errors === "object"
    ? Object.entries(b.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ")
    : undefined;
  const text = [b.title, b.detail ?? b.error, errors].filter((p) => p && String(p).trim()).join(" — ");
  return `${reply.status} ${STATUS_NAMES[reply.status] ?? reply.status}${text ? `: ${text}` : ""}`;
}

function gatewayUrl(cfg) {
  return `${apiBaseUrl(cfg)}/`;
}

function unreachable(cfg) {
  return `Gateway not reachable at ${gatewayUrl(cfg)}. Start it with 'moltbot gateway run' (or set MOLTBOT_GATEWAY_URL).`;
}

async function tryCall(cfg, method, path, options) {
  try {
    return await callKakaoApi(cfg, method, path, options);
  } catch (error) {
    if (error.unreachable) return undefined;
    throw error;
  }
}

function configPath() {
  return process.env.OPENCLAW_CONFIG_PATH || join(process.env.OPENCLAW_STATE_DIR || join(homedir(), ".openclaw"), "openclaw.json");
}

function warnings(cfg) {
  const out = [];
  for (const id of listAccountIds(cfg)) {
    const a = resolveAccount(cfg, id);
    if (!a.enabled) continue;
    if (a.dmPolicy === "open") {
      out.push(`${id}: dmPolicy is "open": anyone who finds the channel can talk to your agent. ` +
        `Fix: set dmPolicy to "pairing" (approve people with 'moltbot pairing approve kakao <CODE>') or "allowlist".`);
    }
    if (!a.hasWebhookSecret) {
      out.push(`${id}: no webhookSecret: anyone who knows the webhook URL can call it. ` +
        "Fix: run 'moltbot kakao setup --generate-secret' and add the header to the skill in Open Builder.");
    }
    if (!a.hasAdminKey) {
      out.push(`${id}: not configured for the Event API (no adminKey). Fix: set adminKey or the KAKAO_ADMIN_KEY variable.`);
    }
    if (a.nhnConfigured && a.phoneProvider === "friendtalk-compat") {
      out.push(`${id}: Friend Talk ended; NHN's compatibility send works until about 2026-12-31. ` +
        `Fix: move to Brand Message (outbound.phoneProvider "brand-message").`);
    }
  }
  return out;
}

function activity(node) {
  const count = Number.parseInt(String(node?.count ?? "0"), 10);
  return { lastAt: node?.lastAt ?? null, count: Number.isFinite(count) ? count : 0 };
}

// KST, as moltbot prints times: "2026-12-02 10:30 KST", or "-" for never.
function kst(iso) {
  if (!iso) return "-";
  const d = new Date(new Date(iso).getTime() + 9 * 3600_000);
  return `${d.toISOString().slice(0, 16).replace("T", " ")} KST`;
}

export async function runStatus(cfg, { json = false } = {}, out = stdio) {
  const status = await tryCall(cfg, "GET", "/api/v1/status", { timeoutMs: 15000 });
  const reachable = status?.status === 200;
  const token = apiToken(cfg);
  const live = status?.body?.accounts ?? [];
  const report = {
    gatewayReachable: reachable,
    gatewayUrl: gatewayUrl(cfg),
    configPath: configPath(),
    apiToken: { source: token.source, path: token.path ?? null },
    accounts: listAccountIds(cfg).map((id) => {
      const a = resolveAccount(cfg, id);
      const l = live.find((x) => String(x?.id ?? x?.accountId ?? "").toLowerCase() === id);
      return {
        id,
        name: a.name ?? null,
        enabled: a.enabled,
        configured: a.hasAdminKey,
        running: reachable && a.enabled,
        mode: "webhook",
        webhook: `http://<your-server>:${a.webhookPort}${a.webhookPath}`,
        dmPolicy: a.dmPolicy,
        allowFrom: a.allowFrom,
        tokenSource: a.hasAdminKey ? "config" : "none",
        outbound: a.nhnConfigured ? a.phoneProvider : "not configured",
        in: activity(l?.in),
        out: activity(l?.out),
      };
    }),
    warnings: warnings(cfg),
  };
  if (json) {
    out.log(JSON.stringify(report, null, 2));
    return EXIT.ok;
  }
  out.log(reachable ? "Gateway reachable." : `Gateway not reachable at ${report.gatewayUrl}; showing the config only.`);
  out.log(`Config: ${report.configPath}`);
  out.log(`API token: ${token.source === "config" ? "gateway.auth.token in the config" : token.path ?? token.source}`);
  for (const a of report.accounts) {
    const parts = [
      a.enabled ? "enabled" : "disabled",
      a.configured ? "configured" : "not configured",
      a.running ? "running" : "stopped",
      `in:${kst(a.in.lastAt)} (${a.in.count})`,
      `out:${kst(a.out.lastAt)} (${a.out.count})`,
      "mode:webhook",
      `dm:${a.dmPolicy}`,
      `allow:${a.allowFrom.length === 0 ? "-" : a.allowFrom.join(",")}`,
      `token:${a.tokenSource}`,
      reachable ? "works" : "unknown",
    ];
    out.log(`- Kakao ${a.id}${a.name ? ` (${a.name})` : ""}: ${parts.join(", ")}`);
  }
  if (report.warnings.length > 0) {
    out.log("Warnings:");
    for (const w of report.warnings) out.log(`- ${w}`);
  }
  return EXIT.ok;
}

export async function runSend(cfg, to, message, { account, idempotencyKey, wait = false, timeout = 60 } = {}, out = stdio) {
  const key = idempotencyKey || randomUUID().replaceAll("-", "");
  const reply = await tryCall(cfg, "POST", "/api/v1/messages", {
    body: { channel: "kakao", accountId: account || undefined, to, message, idempotencyKey: key },
  });
  if (!reply) {
    out.error(unreachable(cfg));
    return EXIT.gatewayUnreachable;
  }
  if (reply.status !== 202 && reply.status !== 200) {
    out.error(`Not sent: ${describe(reply)}`);
    if (reply.retryAfter) {
      out.error(`Try again after ${kst(new Date(Date.now() + Number(reply.retryAfter) * 1000).toISOString())}.`);
    }
    return [400, 422, 404].includes(reply.status) ? EXIT.invalidInput : EXIT.failed;
  }
  const id = reply.body?.id ?? reply.body?.messageId;
  let status = reply.body?.status ?? "accepted";
  out.log(`Message ${id}: ${status} (idempotency key ${key})`);
  if (!wait || !id) return EXIT.ok;
  const deadline = Date.now() + timeout * 1000;
  while (!FINAL.includes(status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const poll = await tryCall(cfg, "GET", `/api/v1/messages/${encodeURIComponent(id)}`);
    if (!poll) {
      out.error(unreachable(cfg));
      return EXIT.gatewayUnreachable;
    }
    status = poll.body?.status ?? status;
    if (FINAL.includes(status)) {
      const reason = poll.body?.reason;
      out.log(`Message ${id}: ${status}${reason ? ` — ${reason}` : ""}`);
    }
  }
  if (!FINAL.includes(status)) {
    out.error(`Message ${id} is still ${status} after ${timeout} s; check later with 'moltbot kakao status'.`);
    return EXIT.failed;
  }
  return status === "failed" ? EXIT.failed : EXIT.ok;
}

// KakaoAspire's pairing API: its store (the one its webhook reads first), kept in step with OpenClaw's own store for
// accounts whose agents are in OpenClaw (pairing.js), so these and `openclaw pairing list|approve kakao` agree.
export async function runPairingList(cfg, out = stdio) {
  const reply = await tryCall(cfg, "GET", "/api/v1/pairing/kakao");
  if (!reply) {
    out.error(unreachable(cfg));
    return EXIT.gatewayUnreachable;
  }
  if (reply.status !== 200) {
    out.error(`Could not list pairing requests: ${describe(reply)}`);
    return EXIT.failed;
  }
  const requests = Array.isArray(reply.body) ? reply.body : reply.body?.requests ?? reply.body?.pending ?? [];
  if (requests.length === 0) {
    out.log("No pending pairing requests.");
    return EXIT.ok;
  }
  for (const r of requests) {
    out.log(`${r.code}  account:${r.accountId}  user:${r.userId}  asked:${kst(r.createdAt)}`);
  }
  out.log("Approve with: moltbot pairing approve kakao <CODE>");
  return EXIT.ok;
}

export async function runPairingApprove(cfg, code, account, out = stdio) {
  const reply = await tryCall(cfg, "POST", "/api/v1/pairing/kakao/approve", {
    body: { code: String(code).trim().toUpperCase(), accountId: account || undefined },
  });
  if (!reply) {
    out.error(unreachable(cfg));
    return EXIT.gatewayUnreachable;
  }
  if (reply.status !== 200) {
    out.error(`Not approved: ${describe(reply)}`);
    return reply.status === 404 ? EXIT.failed : EXIT.invalidInput;
  }
  out.log(`Approved ${reply.body?.userId} on account ${reply.body?.accountId ?? account ?? "default"}. Their next message goes through.`);
  const inOpenClaw = reply.body?.openClaw;
  if (inOpenClaw && inOpenClaw !== "approved" && inOpenClaw !== "already-approved") {
    out.error(`OpenClaw's pairing store was not updated (${inOpenClaw}); the user is let in all the same.`);
  }
  return EXIT.ok;
}

// The wizard lives in the moltbot CLI (it writes channels.kakao into the same file); run it when installed.
export function runSetup(args, out = stdio) {
  const result = spawnSync("moltbot", ["kakao", "setup", ...args], {
    stdio: "inherit",
    env: { ...process.env, MOLTBOT_CONFIG_PATH: process.env.MOLTBOT_CONFIG_PATH || configPath() },
  });
  if (result.error?.code === "ENOENT") {
    out.error("'openclaw kakao setup' runs KakaoAspire's setup wizard, which is not installed. Install it with: " +
      "dotnet pack src/KakaoAspire.Cli -c Release && dotnet tool install -g KakaoAspire.Moltbot.Cli --add-source artifacts/packages");
    return EXIT.invalidInput;
  }
  return result.status ?? EXIT.failed;
}

export function registerKakaoCli({ program, config }) {
  const kakao = program.command("kakao").description("KakaoTalk channel: status, send, setup (KakaoAspire)");
  const done = (code) => {
    process.exitCode = code;
  };
  kakao.command("status")
    .description("Show the KakaoTalk channel's accounts, activity and problems")
    .option("--json", "Print one JSON document instead of text")
    .action(async (opts) => done(await runStatus(config, { json: Boolean(opts.json) })));
  kakao.command("send")
    .description("Send a proactive KakaoTalk message")
    .argument("<to>", "A Korean phone number (010-1234-5678) or kakao:botUserKey:<id>, kakao:plusfriendUserKey:<id>, kakao:appUserId:<id>")
    .argument("<message>", "The text to send")
    .option("--account <id>", "The account to send from (default: channels.kakao.defaultAccount)")
    .option("--idempotency-key <key>", "Sending again with the same key never sends twice (default: a new key)")
    .option("--wait", "Wait for the final status (sent, delivered or failed)")
    .option("--timeout <seconds>", "Seconds to wait with --wait", "60")
    .action(async (to, message, opts) => done(await runSend(config, to, message, {
      account: opts.account,
      idempotencyKey: opts.idempotencyKey,
      wait: Boolean(opts.wait),
      timeout: Number.parseInt(opts.timeout, 10) || 60,
    })));
  const pairing = kakao.command("pairing").description("Pairing requests through KakaoAspire (kept in step with 'openclaw pairing … kakao')");
  pairing.command("list")
    .description("List pending pairing requests")
    .action(async () => done(await runPairingList(config)));
  pairing.command("approve")
    .description("Let the person with this code talk to the assistant")
    .argument("<code>", "The 8-character code the user received")
    .option("--account <id>", "The account the code belongs to (default: any)")
    .action(async (code, opts) => done(await runPairingApprove(config, code, opts.account)));
  kakao.command("setup")
    .description("Set up a KakaoTalk account (KakaoAspire's wizard; flags pass through)")
    .allowUnknownOption(true)
    .argument("[args...]")
    .action((args) => done(runSetup(args ?? [])));
}
