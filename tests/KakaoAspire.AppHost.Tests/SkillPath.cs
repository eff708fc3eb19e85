using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests;

/// <summary>Builds skill requests from the real-shaped fixture, each for a user of its own.</summary>
public static class SkillPath
{
    public static JsonObject Payload(string utterance, string plusfriendUserKey)
    {
        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "skill-request-basic.json")))!.AsObject();
        var user = payload["userRequest"]!["user"]!.AsObject();
        user["id"] = "bot-" + plusfriendUserKey;
        user["properties"]!["plusfriendUserKey"] = plusfriendUserKey;
        payload["userRequest"]!["utterance"] = utterance;
        return payload;
    }

    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(
        HttpClient client, string path, JsonObject payload, Action<HttpRequestMessage>? configure = null, TimeSpan? timeout = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(request);
        var response = await client.SendAsync(request).WaitAsync(timeout ?? AppFixture.RequestTimeout);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return (response, body);
    }

    public static string FirstText(JsonNode? skillResponse) =>
        skillResponse?["template"]?["outputs"]?[0]?["simpleText"]?["text"]?.GetValue<string>() ?? "";
}
