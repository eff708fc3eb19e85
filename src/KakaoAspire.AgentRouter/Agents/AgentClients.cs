using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using KakaoAspire.AgentRouter.Gateway;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;
using OpenAI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>The <see cref="IChatClient"/> behind each configured agent, built once per agent.</summary>
public sealed class AgentClients(BuiltinAgent builtin, MoltbotGatewayAgent gateway, ILoggerFactory loggerFactory) : IDisposable
{
    // Ollama, vLLM and LM Studio ignore the key, but the OpenAI client insists on one.
    public const string KeylessPlaceholder = "no-key";

    private readonly ConcurrentDictionary<string, IChatClient> _openAI = new();

    public IChatClient For(AgentConfig agent) => agent.Model.Provider switch
    {
        AgentModelProvider.OpenAI => _openAI.GetOrAdd(agent.Id, _ => CreateOpenAI(agent.Model)),
        AgentModelProvider.Moltbot => gateway,
        _ => builtin,
    };

    private IChatClient CreateOpenAI(AgentModel model)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(model.Endpoint!),
            // The turn has its own budget (timeoutSeconds); long client retries would only eat it.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 1),
        };
        // "openclaw/<agentId>" (or the older "moltbot:<agentId>") is an OpenClaw gateway's OpenAI-compatible endpoint:
        // it takes only the "openclaw/<agentId>" name and needs our session key.
        var gatewayAgentId = GatewaySessionKeys.AgentIdFromModelName(model.Name);
        if (gatewayAgentId is not null)
        {
            options.AddPolicy(MoltbotSessionHeaderPolicy.Instance, PipelinePosition.PerCall);
        }
        var client = new OpenAIClient(new ApiKeyCredential(model.ApiKey ?? KeylessPlaceholder), options);
        var modelName = gatewayAgentId is null ? model.Name : GatewaySessionKeys.ModelName(gatewayAgentId);
        return client.GetChatClient(modelName).AsIChatClient()
            .AsBuilder()
            .Use(inner => new TurnContextScope(inner, gatewayAgentId))
            .UseFunctionInvocation(loggerFactory, f => f.MaximumIterationsPerRequest = 4)
            .Build();
    }

    public void Dispose()
    {
        foreach (var client in _openAI.Values)
        {
            client.Dispose();
        }
    }
}
