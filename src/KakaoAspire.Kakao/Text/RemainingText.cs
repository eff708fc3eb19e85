namespace KakaoAspire.Kakao.Text;

/// <summary>
/// What the chunker has left to place, without copying it: <see cref="Prefix"/> (empty, or the fence line reopened
/// after a split inside a code block) followed by <see cref="Source"/> from <see cref="Offset"/>. Indexes are into
/// that virtual string, so every step reads as if it had the rest as one string.
/// </summary>
internal readonly struct RemainingText
{
    private readonly NewlineCache _newlines;

    public RemainingText(string prefix, string source, int offset)
        : this(prefix, source, offset, new NewlineCache(source))
    {
    }

    private RemainingText(string prefix, string source, int offset, NewlineCache newlines)
    {
        Prefix = prefix;
        Source = source;
        Offset = offset;
        _newlines = newlines;
    }

    public string Prefix { get; }

    public string Source { get; }

    public int Offset { get; }

    public int Length => Prefix.Length + Source.Length - Offset;

    public char this[int index] => index < Prefix.Length ? Prefix[index] : Source[Offset + index - Prefix.Length];

    public string Slice(int start, int end)
    {
        var p = Prefix.Length;
        if (start >= p)
        {
            return Source.Substring(Offset + start - p, end - start);
        }

        return end <= p
            ? Prefix[start..end]
            : string.Concat(Prefix.AsSpan(start), Source.AsSpan(Offset, end - p));
    }

    /// <summary>From <paramref name="index"/> to the end of the part it lies in (the prefix ends with a newline,
    /// so no grapheme crosses into the source).</summary>
    public ReadOnlySpan<char> SpanFrom(int index) =>
        index < Prefix.Length ? Prefix.AsSpan(index) : Source.AsSpan(Offset + index - Prefix.Length);

    public RemainingText Advance(int count) =>
        count < Prefix.Length
            ? new RemainingText(Prefix[count..], Source, Offset, _newlines)
            : new RemainingText("", Source, Offset + count - Prefix.Length, _newlines);

    public RemainingText WithPrefix(string prefix) => new(prefix + Prefix, Source, Offset, _newlines);

    /// <summary>As <see cref="string.TrimStart()"/> on the rest.</summary>
    public RemainingText TrimStart()
    {
        var skip = 0;
        while (skip < Length && char.IsWhiteSpace(this[skip]))
        {
            skip++;
        }

        return skip == 0 ? this : Advance(skip);
    }

    /// <summary>The index just past the first <paramref name="count"/> code points (a surrogate pair is one, as in <see cref="KakaoText.Length"/>).</summary>
    public int IndexAfterCodePoints(int count)
    {
        var length = Length;
        var i = 0;
        for (var n = 0; n < count && i < length; n++)
        {
            i += char.IsHighSurrogate(this[i]) && i + 1 < length && char.IsLowSurrogate(this[i + 1]) ? 2 : 1;
        }

        return i;
    }

    /// <summary>As <c>LastIndexOf('\n', from, from - floor + 1)</c>: the last newline in [floor, from], or -1.</summary>
    public int LastIndexOfNewline(int from, int floor)
    {
        for (var i = from; i >= floor; i--)
        {
            if (this[i] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first newline at or after <paramref name="index"/>, or -1.</summary>
    public int IndexOfNewline(int index)
    {
        if (index < Prefix.Length)
        {
            var inPrefix = Prefix.IndexOf('\n', index);
            if (inPrefix >= 0)
            {
                return inPrefix;
            }

            index = Prefix.Length;
        }

        var found = _newlines.Next(Offset + index - Prefix.Length);
        return found < 0 ? -1 : found - Offset + Prefix.Length;
    }

    /// <summary>
    /// The code fences <see cref="TextFences.Find"/> would find in the rest, read only up to the line holding
    /// <paramref name="windowEnd"/>: every fence that starts before it is exact, except that one still open there
    /// ends at <see cref="Length"/>. The chunker asks only about indexes up to <paramref name="windowEnd"/>, where
    /// that makes no difference.
    /// </summary>
    public List<TextFence> FencesBefore(int windowEnd)
    {
        var fences = new List<TextFence>();
        (int Start, int ContentStart, int LineEnd, string Indent, string Marker)? open = null;
        var length = Length;
        var lineStart = 0;
        while (lineStart <= length && lineStart <= windowEnd)
        {
            var newline = IndexOfNewline(lineStart);
            var lineEnd = newline < 0 ? length : newline;
            if (FenceLine(lineStart, lineEnd, out var indent, out var markerStart, out var markerEnd))
            {
                var marker = this[markerStart];
                var markerLength = markerEnd - markerStart;
                if (open is null)
                {
                    open = (lineStart, Math.Min(lineEnd + 1, length), lineEnd, new string(' ', indent), new string(marker, markerLength));
                }
                else if (marker == open.Value.Marker[0] && markerLength >= open.Value.Marker.Length && WhiteSpace(markerEnd, lineEnd))
                {
                    var o = open.Value;
                    fences.Add(new TextFence(o.Start, lineEnd, o.ContentStart, OpenLine(o.Start, o.LineEnd), o.Indent, o.Marker));
                    open = null;
                }
            }

            if (newline < 0)
            {
                break;
            }

            lineStart = newline + 1;
        }

        if (open is { } last)
        {
            fences.Add(new TextFence(last.Start, length, last.ContentStart, OpenLine(last.Start, last.LineEnd), last.Indent, last.Marker));
        }

        return fences;
    }

    // TextFences' ^( {0,3})(`{3,}|~{3,})(.*)$ on the line: up to three spaces, then a run of three or more
    // backticks or tildes (the run is maximal: what follows may be anything).
    private bool FenceLine(int lineStart, int lineEnd, out int indent, out int markerStart, out int markerEnd)
    {
        var i = lineStart;
        while (i < lineEnd && i - lineStart < 3 && this[i] == ' ')
        {
            i++;
        }

        indent = i - lineStart;
        markerStart = i;
        markerEnd = i;
        if (i >= lineEnd || this[i] is not ('`' or '~'))
        {
            return false;
        }

        var c = this[i];
        while (markerEnd < lineEnd && this[markerEnd] == c)
        {
            markerEnd++;
        }

        return markerEnd - markerStart >= 3;
    }

    // A trailing '\r' is whitespace too, so the line's TrimEnd('\r') changes nothing here.
    private bool WhiteSpace(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace(this[i]))
            {
                return false;
            }
        }

        return true;
    }

    private string OpenLine(int start, int end) => Slice(start, end).TrimEnd('\r');

    /// <summary>
    /// Newline search in the source, remembered: the rest only moves forward, so the line that holds the end of
    /// one window is not searched again to its end by the next.
    /// </summary>
    private sealed class NewlineCache(string source)
    {
        private int _from = int.MaxValue;
        private int _found = -1;

        public int Next(int index)
        {
            if (index >= _from && (_found < 0 || index <= _found))
            {
                return _found;
            }

            _from = index;
            _found = source.IndexOf('\n', index);
            return _found;
        }
    }
}
