using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// A message longer than its provider takes, as parts that each fit: split where a reader expects a break (a
/// paragraph, a line, a sentence; never inside a code block or a character), in order. The image rides on the
/// first part and the buttons on the last (OutboundMessageStore).
/// </summary>
public static class MessageParts
{
    public static IReadOnlyList<string> Split(string text, ProviderKind provider, bool hasImage)
    {
        // With an image every part keeps to the image limit: the chunker's breaks are its own, and re-joining the
        // rest to split it again would move them.
        var parts = Chunk(text, MessageLimits.MaxLength(provider, hasImage));
        if (provider == ProviderKind.BrandMessage)
        {
            parts = [.. parts.SelectMany(LineGroups)];
        }
        return parts;
    }

    private static List<string> Chunk(string text, int max)
    {
        if (text.Length <= max)
        {
            return [text];
        }
        // The chunker counts code points and providers count UTF-16 units: text full of emoji is cut at half.
        var parts = KakaoTextChunker.Chunk(text, max);
        return parts.All(p => p.Length <= max) ? [.. parts] : [.. KakaoTextChunker.Chunk(text, max / 2)];
    }

    // Brand Message takes at most 99 line breaks in one message.
    private static IEnumerable<string> LineGroups(string part)
    {
        var lines = part.Split('\n');
        return lines.Length <= MessageLimits.BrandMessageMaxLineBreaks + 1
            ? [part]
            : lines.Chunk(MessageLimits.BrandMessageMaxLineBreaks + 1).Select(group => string.Join('\n', group));
    }
}
