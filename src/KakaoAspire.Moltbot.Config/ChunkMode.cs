namespace KakaoAspire.Moltbot.Config;

/// <summary>How long answers are split. JSON: "length" | "newline".</summary>
public enum ChunkMode
{
    Length,
    Newline,
}
