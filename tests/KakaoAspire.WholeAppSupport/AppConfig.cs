using System.Text.Json.Nodes;

namespace KakaoAspire.WholeAppSupport;

/// <summary>
/// Builds the Moltbot config a whole-app fixture starts the app with, in the JSON of the user's guide:
/// <c>gateway.auth.token</c>, <c>channels.kakao</c> (its own keys and <c>accounts</c>), <c>agents.list</c>, <c>bindings</c>.
/// Sections left empty are left out, so a fixture's file holds only what it sets.
/// </summary>
public sealed class AppConfig
{
    private readonly JsonObject _kakao = [];
    private readonly JsonObject _accounts = [];
    private readonly JsonArray _agents = [];
    private readonly JsonArray _bindings = [];
    private string? _gatewayToken;

    /// <summary>An account of the webhook: its port and path, nothing else.</summary>
    public static JsonObject WebhookAccount(int port, string path) => new() { ["webhookPort"] = port, ["webhookPath"] = path };

    /// <summary>An account that also sends through the fake NHN, at any hour (no night window).</summary>
    public static JsonObject NhnAccount(int port, string path, string nhnBaseUrl) => WebhookAccount(port, path)
        .With("senderKey", FakeNhnServer.SenderKey)
        .With("toastAppKey", FakeNhnServer.AppKey)
        .With("toastSecretKey", FakeNhnServer.SecretKey)
        .With("outbound", new JsonObject { ["nhnBaseUrl"] = nhnBaseUrl, ["nightWindow"] = null });

    /// <summary><c>gateway.auth.token</c>: the API token (else the app generates one into its state folder).</summary>
    public AppConfig GatewayToken(string token)
    {
        _gatewayToken = token;
        return this;
    }

    /// <summary>A key of <c>channels.kakao</c> itself (e.g. <c>apiRateLimitPerMinute</c>, <c>moltbotGateway</c>).</summary>
    public AppConfig Kakao(string key, JsonNode? value)
    {
        _kakao[key] = value;
        return this;
    }

    public AppConfig Account(string id, JsonObject account)
    {
        _accounts[id] = account;
        return this;
    }

    public AppConfig Agent(string id, JsonObject model, bool isDefault = false)
    {
        var agent = new JsonObject { ["id"] = id };
        if (isDefault)
        {
            agent["default"] = true;
        }
        agent["model"] = model;
        _agents.Add(agent);
        return this;
    }

    /// <summary>The offline built-in agent, as the default.</summary>
    public AppConfig BuiltinAgent(string id = "main") => Agent(id, new JsonObject { ["provider"] = "builtin" }, isDefault: true);

    /// <summary>An agent on an OpenAI-compatible server (e.g. a <see cref="FakeOpenAIServer"/>).</summary>
    public AppConfig OpenAIAgent(string id, string endpoint, string apiKey) =>
        Agent(id, new JsonObject { ["provider"] = "openai", ["endpoint"] = endpoint, ["name"] = "fake-model", ["apiKey"] = apiKey });

    /// <summary>An agent that runs in the Moltbot/OpenClaw gateway as <paramref name="agentId"/>.</summary>
    public AppConfig GatewayAgent(string id, string agentId, bool isDefault = false) =>
        Agent(id, new JsonObject { ["provider"] = "moltbot", ["agentId"] = agentId }, isDefault);

    /// <summary>Messages of the account go to the agent.</summary>
    public AppConfig Bind(string agentId, string accountId)
    {
        _bindings.Add(new JsonObject { ["agentId"] = agentId, ["match"] = new JsonObject { ["channel"] = "kakao", ["accountId"] = accountId } });
        return this;
    }

    /// <summary><c>channels.kakao</c> as built so far (e.g. to give OpenClaw's own file the same section).</summary>
    public JsonObject KakaoSection()
    {
        var kakao = (JsonObject)_kakao.DeepClone();
        kakao["accounts"] = _accounts.DeepClone();
        return kakao;
    }

    public JsonObject Build()
    {
        var config = new JsonObject();
        if (_gatewayToken is not null)
        {
            config["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = _gatewayToken } };
        }
        config["channels"] = new JsonObject { ["kakao"] = KakaoSection() };
        if (_agents.Count > 0)
        {
            config["agents"] = new JsonObject { ["list"] = _agents.DeepClone() };
        }
        if (_bindings.Count > 0)
        {
            config["bindings"] = _bindings.DeepClone();
        }
        return config;
    }
}

public static class JsonObjectExtensions
{
    /// <summary>Sets a key and returns the same object, so an account can be built in one expression.</summary>
    public static JsonObject With(this JsonObject json, string key, JsonNode? value)
    {
        json[key] = value;
        return json;
    }
}
