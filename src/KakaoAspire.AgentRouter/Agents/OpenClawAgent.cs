using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// An agent that lives in the user's OpenClaw (Moltbot) gateway, reached the way
/// <c>channels.kakao.moltbotGateway.transport</c> says: through the Kakao channel plugin's relay ("plugin"), the
/// operator WebSocket protocol ("operator"), or the plugin whenever its relay answers ("auto", the default).
/// </summary>
public sealed class OpenClawAgent(OpenClawPluginAgent plugin, MoltbotGatewayAgent operatorClient, MoltbotConfig config) : NonStreamingChatClient
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IChatClient transport = config.Kakao.MoltbotGateway.Transport switch
        {
            OpenClawTransport.Plugin => plugin,
            OpenClawTransport.Operator => operatorClient,
            _ => await plugin.IsReachableAsync(cancellationToken) ? plugin : operatorClient,
        };
        return await transport.GetResponseAsync(messages, options, cancellationToken);
    }
}
