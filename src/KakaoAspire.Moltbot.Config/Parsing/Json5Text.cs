using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>A JSON5 syntax error at a place in the original text (line and column from 1).</summary>
public sealed class Json5SyntaxException(int line, int column, string problem)
    : Exception($"line {line}, column {column}: {problem}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Problem { get; } = problem;
}

/// <summary>
/// JSON5 as Moltbot users write their config (Moltbot reads it with the json5 package), rewritten as plain JSON for
/// the config parser: unquoted keys, 'single quotes', trailing commas, // and /* */ comments, hex numbers, leading or
/// trailing decimal points, a leading +, and string line continuations. It reads the whole grammar itself, so a
/// mistake is reported at its line and column in the file the user wrote, not in the rewritten text.
/// Infinity and NaN have no JSON form and no config key takes them: they are refused by name.
/// </summary>
public static class Json5Text
{
    public static string ToJson(string json5)
    {
        var reader = new Reader(json5);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false }))
        {
            reader.SkipSpace();
            reader.Value(writer, depth: 0);
            reader.SkipSpace();
            if (!reader.AtEnd)
            {
                throw reader.Error($"unexpected {reader.Describe()} after the end of the config");
            }
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class Reader(string text)
    {
        private const int MaxDepth = 64;
        private int _index;

        public bool AtEnd => _index >= text.Length;

        private char Current => text[_index];

        public void Value(Utf8JsonWriter writer, int depth)
        {
            if (AtEnd)
            {
                throw Error("the config ends where a value should be");
            }
            if (depth > MaxDepth)
            {
                throw Error($"more than {MaxDepth} nested objects or arrays");
            }
            switch (Current)
            {
                case '{':
                    Object(writer, depth);
                    break;
                case '[':
                    Array(writer, depth);
                    break;
                case '"' or '\'':
                    writer.WriteStringValue(String());
                    break;
                default:
                    Literal(writer);
                    break;
            }
        }

        private void Object(Utf8JsonWriter writer, int depth)
        {
            _index++;
            writer.WriteStartObject();
            SkipSpace();
            while (!AtEnd && Current != '}')
            {
                var (line, column) = Position(_index);
                var key = Current is '"' or '\'' ? String() : Identifier();
                SkipSpace();
                Expect(':', $"a ':' after the key \"{key}\" (line {line}, column {column})");
                SkipSpace();
                writer.WritePropertyName(key);
                Value(writer, depth + 1);
                SkipSpace();
                if (!AtEnd && Current == ',')
                {
                    _index++;
                    SkipSpace();
                }
                else if (!AtEnd && Current != '}')
                {
                    throw Error($"expected ',' or '}}' after the value of \"{key}\", found {Describe()}");
                }
            }
            Expect('}', "a '}' to close the object");
            writer.WriteEndObject();
        }

        private void Array(Utf8JsonWriter writer, int depth)
        {
            _index++;
            writer.WriteStartArray();
            SkipSpace();
            while (!AtEnd && Current != ']')
            {
                Value(writer, depth + 1);
                SkipSpace();
                if (!AtEnd && Current == ',')
                {
                    _index++;
                    SkipSpace();
                }
                else if (!AtEnd && Current != ']')
                {
                    throw Error($"expected ',' or ']' in the list, found {Describe()}");
                }
            }
            Expect(']', "a ']' to close the list");
            writer.WriteEndArray();
        }

        // An ECMAScript identifier name: letters, digits, $ and _ (not first a digit).
        private string Identifier()
        {
            var start = _index;
            while (!AtEnd && (char.IsLetterOrDigit(Current) || Current is '_' or '$'))
            {
                _index++;
            }
            if (_index == start || char.IsDigit(text[start]))
            {
                _index = start;
                throw Error($"expected a key (a name, or text in quotes), found {Describe()}");
            }
            return text[start.._index];
        }

        private string String()
        {
            var quote = Current;
            var (line, column) = Position(_index);
            _index++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd || Current is '\n' or '\r')
                {
                    throw new Json5SyntaxException(line, column, $"this text has no closing {quote}: close it on the same line (end a line with \\ to continue it)");
                }
                var c = Current;
                _index++;
                if (c == quote)
                {
                    return value.ToString();
                }
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                if (AtEnd)
                {
                    continue;
                }
                var escaped = Current;
                _index++;
                switch (escaped)
                {
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'v': value.Append('\v'); break;
                    case '0' when AtEnd || !char.IsDigit(Current): value.Append('\0'); break;
                    case 'x': value.Append((char)Hex(2)); break;
                    case 'u': value.Append((char)Hex(4)); break;
                    // A backslash at the end of a line continues the text on the next.
                    case '\r':
                        if (!AtEnd && Current == '\n')
                        {
                            _index++;
                        }
                        break;
                    case '\n' or '\u2028' or '\u2029':
                        break;
                    default:
                        if (char.IsDigit(escaped))
                        {
                            _index--;
                            throw Error("a digit cannot follow \\ in text");
                        }
                        value.Append(escaped);
                        break;
                }
            }
        }

        private int Hex(int digits)
        {
            if (_index + digits > text.Length
                || !int.TryParse(text.AsSpan(_index, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw Error($"expected {digits} hex digits after the escape");
            }
            _index += digits;
            return code;
        }

        // Numbers, true, false, null; Infinity and NaN are named in the error.
        private void Literal(Utf8JsonWriter writer)
        {
            var start = _index;
            while (!AtEnd && (char.IsLetterOrDigit(Current) || Current is '+' or '-' or '.' or '_' or '$'))
            {
                _index++;
            }
            var word = text[start.._index];
            switch (word)
            {
                case "true":
                    writer.WriteBooleanValue(true);
                    return;
                case "false":
                    writer.WriteBooleanValue(false);
                    return;
                case "null":
                    writer.WriteNullValue();
                    return;
            }
            var unsigned = word.TrimStart('+', '-');
            var negative = word.StartsWith('-');
            if (word.Length > 0 && word.Length - unsigned.Length <= 1)
            {
                if (unsigned is "Infinity" or "NaN")
                {
                    _index = start;
                    throw Error($"{word} has no place in the config: write a number");
                }
                if (unsigned.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    && ulong.TryParse(unsigned.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                {
                    writer.WriteRawValue((negative ? "-" : "") + hex.ToString(CultureInfo.InvariantCulture));
                    return;
                }
                if (Decimal(unsigned) is { } number)
                {
                    writer.WriteRawValue((negative ? "-" : "") + number);
                    return;
                }
            }
            _index = start;
            throw Error(word.Length == 0
                ? $"expected a value, found {Describe()}"
                : $"'{word}' is not a value: put text in quotes, e.g. \"{word}\"");
        }

        // JSON5 decimals as JSON writes them: ".5" is 0.5 and "5." is 5, as JavaScript reads them (so an integer key
        // takes it); leading zeros are refused, as in JSON5.
        private static string? Decimal(string number)
        {
            var exponentAt = number.IndexOfAny(['e', 'E']);
            var mantissa = exponentAt < 0 ? number : number[..exponentAt];
            var exponent = exponentAt < 0 ? "" : number[(exponentAt + 1)..];
            var dot = mantissa.IndexOf('.');
            var whole = dot < 0 ? mantissa : mantissa[..dot];
            var fraction = dot < 0 ? null : mantissa[(dot + 1)..];
            if ((whole.Length == 0 && string.IsNullOrEmpty(fraction)) || !whole.All(char.IsAsciiDigit) || (fraction is not null && !fraction.All(char.IsAsciiDigit))
                || (whole.Length > 1 && whole[0] == '0'))
            {
                return null;
            }
            if (exponentAt >= 0)
            {
                var digits = exponent.TrimStart('+', '-');
                if (digits.Length == 0 || exponent.Length - digits.Length > 1 || !digits.All(char.IsAsciiDigit))
                {
                    return null;
                }
            }
            var json = (whole.Length == 0 ? "0" : whole) + (string.IsNullOrEmpty(fraction) ? "" : "." + fraction);
            return exponentAt < 0 ? json : json + "e" + exponent;
        }

        private void Expect(char c, string what)
        {
            if (AtEnd || Current != c)
            {
                throw Error($"expected {what}, found {Describe()}");
            }
            _index++;
        }

        /// <summary>Whitespace (with the Unicode spaces JSON5 allows, and a byte order mark) and comments.</summary>
        public void SkipSpace()
        {
            while (!AtEnd)
            {
                var c = Current;
                if (char.IsWhiteSpace(c) || c == '\uFEFF')
                {
                    _index++;
                }
                else if (c == '/' && _index + 1 < text.Length && text[_index + 1] == '/')
                {
                    while (!AtEnd && Current is not ('\n' or '\r'))
                    {
                        _index++;
                    }
                }
                else if (c == '/' && _index + 1 < text.Length && text[_index + 1] == '*')
                {
                    var end = text.IndexOf("*/", _index + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw Error("this /* comment is never closed with */");
                    }
                    _index = end + 2;
                }
                else
                {
                    return;
                }
            }
        }

        public string Describe() => AtEnd ? "the end of the file"
            : Current is '\n' or '\r' ? "the end of the line"
            : $"'{char.ConvertFromUtf32(char.IsSurrogatePair(text, _index) ? char.ConvertToUtf32(text, _index) : Current)}'";

        public Json5SyntaxException Error(string problem)
        {
            var (line, column) = Position(_index);
            return new Json5SyntaxException(line, column, problem);
        }

        private (int Line, int Column) Position(int index)
        {
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < Math.Min(index, text.Length); i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }
            return (line, index - lineStart + 1);
        }
    }
}
