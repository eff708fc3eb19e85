namespace KakaoAspire.Kakao.Text;

/// <summary>How long answers are split: Moltbot's <c>chunkMode</c> (docs/moltbot-channel-rules.md#text-chunking), JSON "length" | "newline".</summary>
public enum ChunkMode
{
    /// <summary>Fill each chunk up to the limit, breaking at the last newline, else whitespace.</summary>
    Length,

    /// <summary>One chunk per paragraph (blank-line separated); long paragraphs fall back to <see cref="Length"/>.</summary>
    Newline,
}
