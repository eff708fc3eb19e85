using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using KakaoAspire.AgentRouter.Gateway;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;
using OpenAI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// The <see cref="IChatClient"/> behind each configured agent, built once per agent. Model calls go through
/// Microsoft.Extensions.AI's OpenTelemetry layer: a gen_ai span per call with the model and token usage, and the
/// gen_ai.client.* metrics. Message text joins the spans only when the operator sets <see cref="CaptureMessageContent"/>.
/// </summary>
public sealed class AgentClients(BuiltinAgent builtin, OpenClawAgent gateway, ILoggerFactory loggerFactory, IConfiguration configuration)
    : IDisposable
{
    // Ollama, vLLM and LM Studio ignore the key, but the OpenAI client insists on one.
    public const string KeylessPlaceholder = "no-key";

    /// <summary>
    /// OpenTelemetry's own switch for generative AI content (an environment variable or app setting): "true" puts the
    /// prompts and answers into the traces. Off by default, since they are the users' messages.
    /// </summary>
    public const string CaptureMessageContent = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    private readonly bool _captureContent = configuration.GetValue<bool>(CaptureMessageContent);

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
            // Innermost, below the context scope: the span sees only what the model's API sees, one span per model call.
            .UseOpenTelemetry(loggerFactory, TelemetrySources.GenAI, o => o.EnableSensitiveData = _captureContent)
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
