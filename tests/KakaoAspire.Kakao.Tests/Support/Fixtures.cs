using System.Text.Json.Nodes;

namespace KakaoAspire.Kakao.Tests;

// Loads the real-shaped payloads of docs/kakao-skill-protocol.md (in Fixtures/) and normalises JSON for semantic comparison.
internal static class Fixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static IEnumerable<string> Names(string prefix) =>
        System.IO.Directory.GetFiles(Directory, prefix + "*.json").Select(Path.GetFileName).OfType<string>().Order();

    // Null members carry no meaning on the wire (we omit them when writing), so they are dropped before comparing.
    public static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (value is not null)
                    {
                        copy[key] = WithoutNulls(value);
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(WithoutNulls).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    public static void AssertSameJson(string expected, string actual)
    {
        var e = WithoutNulls(JsonNode.Parse(expected));
        var a = WithoutNulls(JsonNode.Parse(actual));
        Assert.True(JsonNode.DeepEquals(e, a), $"JSON differs.\nExpected: {e?.ToJsonString()}\nActual:   {a?.ToJsonString()}");
    }
}
