namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>Turns an unknown key into "did you mean …?" by edit distance.</summary>
internal static class KeySuggestion
{
    public static string UnknownKeyMessage(string key, IReadOnlyCollection<string> validKeys)
    {
        var nearest = validKeys
            .Select(valid => (valid, distance: Distance(key.ToLowerInvariant(), valid.ToLowerInvariant())))
            .OrderBy(candidate => candidate.distance)
            .ThenBy(candidate => candidate.valid, StringComparer.Ordinal)
            .First();

        // A far-off "nearest" key would mislead; list them all instead.
        return nearest.distance <= Math.Max(2, key.Length / 3)
            ? $"unknown key \"{key}\"; did you mean \"{nearest.valid}\"?"
            : $"unknown key \"{key}\" (nearest valid key: \"{nearest.valid}\"); valid keys here: {string.Join(", ", validKeys)}";
    }

    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
