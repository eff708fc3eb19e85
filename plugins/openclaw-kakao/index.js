import { defineChannelPluginEntry } from "openclaw/plugin-sdk/channel-core";
import { kakaoPlugin } from "./src/channel.js";
import { registerKakaoCli } from "./src/cli.js";
import { createKakaoSendHandler } from "./src/gateway-methods.js";
import { PAIRING_PATH, createPairingHandler } from "./src/pairing.js";
import { createRelayHandler } from "./src/relay.js";
import { RELAY_PATH } from "./src/relay-secret.js";

export default defineChannelPluginEntry({
  id: "kakao",
  name: "KakaoTalk",
  description: "KakaoTalk channel through KakaoAspire",
  plugin: kakaoPlugin,
  registerCliMetadata(api) {
    api.registerCli((ctx) => registerKakaoCli(ctx), {
      descriptors: [{ name: "kakao", description: "KakaoTalk channel: status, send, setup (KakaoAspire)", hasSubcommands: true }],
    });
  },
  registerFull(api) {
    api.registerHttpRoute({ path: RELAY_PATH, auth: "plugin", match: "exact", handler: createRelayHandler(api) });
    api.registerHttpRoute({ path: PAIRING_PATH, auth: "plugin", match: "exact", handler: createPairingHandler(api) });
    api.registerGatewayMethod("kakao.send", createKakaoSendHandler(api), { scope: "operator.write" });
  },
});
