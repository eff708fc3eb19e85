import { defineSetupPluginEntry } from "openclaw/plugin-sdk/channel-core";
import { kakaoPlugin } from "./src/channel.js";

export default defineSetupPluginEntry(kakaoPlugin);
