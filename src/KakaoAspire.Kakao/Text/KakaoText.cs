namespace KakaoAspire.Kakao.Text;

/// <summary>Text helpers for KakaoTalk bubbles.</summary>
public static class KakaoText
{
    /// <summary>
    /// The length Kakao limits are checked against: Unicode code points, so a Hangul syllable counts 1 and an
    /// emoji outside the BMP counts 1 instead of 2. Kakao does not document its unit; code points never split
    /// a character and count multi-part emoji conservatively.
    /// </summary>
    public static int Length(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var length = text.Length;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                length--;
                i++;
            }
        }

        return length;
    }

    /// <summary>
    /// Markdown as KakaoTalk plain text (KakaoTalk shows Markdown markers literally); see <see cref="KakaoMarkdown"/>.
    /// </summary>
    public static string StripMarkdown(string markdown) => KakaoMarkdown.ToPlainText(markdown);
}
