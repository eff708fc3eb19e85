using System.Text.Json;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>A raw value and the JSON path it was read from, so merged fields still report where they came from.</summary>
internal readonly record struct ConfigField(JsonElement Value, string Path);
