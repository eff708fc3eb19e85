using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// A deployed container gets the config file's text and the API token as secrets in its environment
/// (MOLTBOT_CONFIG_JSON, MOLTBOT_GATEWAY_TOKEN), not a path: it must behave as `dotnet run` does with the same file.
/// </summary>
public sealed class DeployedConfigTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string DeployedToken = "deployed-token-4b1f0c9e2d";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_config_text_and_token_from_the_environment_are_what_the_service_uses(bool base64)
    {
        using var state = new TempDirectory();
        var json = TestConfig.Json.Replace($$"""  "gateway": { "auth": { "token": "{{TestConfig.Token}}" } },""", "");
        Assert.DoesNotContain(TestConfig.Token, json);
        var factory = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50), new Dictionary<string, string>
        {
            ["MOLTBOT_CONFIG_PATH"] = "/nonexistent/moltbot.json", // ignored: the inline config wins
            ["MOLTBOT_STATE_DIR"] = state.Path,
            ["MOLTBOT_CONFIG_JSON"] = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json,
            ["MOLTBOT_GATEWAY_TOKEN"] = DeployedToken,
        });
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // An account from the inline config answers with the inline config's denied text.
        var (denied, _) = await Skill.AskAsync(client, TestConfig.Off, Skill.Payload(Skill.NewUser(), "안녕"));
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status") { Headers = { Authorization = new("Bearer", DeployedToken) } };
        using var status = await client.SendAsync(withToken);
        using var withFileToken = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status") { Headers = { Authorization = new("Bearer", TestConfig.Token) } };
        using var wrong = await client.SendAsync(withFileToken);

        Assert.Equal([TestConfig.DeniedText], Skill.Texts(denied));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // No token of its own was generated into the container's throwaway state folder.
        Assert.False(File.Exists(Path.Combine(state.Path, "kakao", "gateway-token")));
    }
}
