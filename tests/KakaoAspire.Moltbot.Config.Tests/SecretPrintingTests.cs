namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>Config records end up in logs; a secret must never be printed.</summary>
public class SecretPrintingTests
{
    private static readonly string[] Secrets =
        ["ADMIN-SECRET-1", "SENDER-SECRET-2", "TOAST-APP-SECRET-3", "TOAST-SECRET-4", "WEBHOOK-SECRET-5", "GATEWAY-SECRET-6", "MOLTBOT-GW-SECRET-7", "OPENAI-SECRET-8"];

    private static MoltbotConfig Load() => TestConfig.Parse("""
        {
          "gateway": { "auth": { "token": "GATEWAY-SECRET-6" } },
          "channels": { "kakao": {
            "moltbotGateway": { "token": "MOLTBOT-GW-SECRET-7" },
            "accounts": { "default": {
              "adminKey": "ADMIN-SECRET-1", "senderKey": "SENDER-SECRET-2", "toastAppKey": "TOAST-APP-SECRET-3",
              "toastSecretKey": "TOAST-SECRET-4", "webhookSecret": "WEBHOOK-SECRET-5", "appKey": "js-key-visible"
            } }
          } },
          "agents": { "list": [ { "id": "main", "model": { "provider": "openai", "endpoint": "https://api.openai.com/v1", "name": "gpt-4o-mini", "apiKey": "OPENAI-SECRET-8" } } ] }
        }
        """);

    [Fact]
    public void SecretsNeverAppearInToStringOfConfigRecords()
    {
        var config = Load();
        var printed = new[]
        {
            config.ToString(), config.Gateway.ToString(), config.Kakao.ToString(), config.Kakao.MoltbotGateway.ToString(),
            config.Kakao.Accounts[0].ToString(), config.Agents[0].ToString(), config.Agents[0].Model.ToString(),
        };

        foreach (var text in printed)
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, text);
            }
        }

        Assert.Contains("js-key-visible", config.Kakao.Accounts[0].ToString());
        Assert.Contains("AdminKey = ***", config.Kakao.Accounts[0].ToString());
    }

    [Fact]
    public void ConfigErrorsDoNotEchoAMisplacedSecretValue()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"webhookPort\": \"ADMIN-SECRET-1\""));

        Assert.DoesNotContain("ADMIN-SECRET-1", exception.Message);
    }
}
