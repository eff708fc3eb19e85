using System.ClientModel;
using System.Net.Sockets;
using KakaoAspire.AgentRouter.Gateway;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>Why an agent call failed, as a short code for logs and the contract, and the Korean text the user reads.</summary>
public sealed record AgentFailure(string Code, string Text)
{
    public static readonly AgentFailure Timeout = new("timeout", AgentTexts.Timeout);
    public static readonly AgentFailure Unauthorized = new("unauthorized", AgentTexts.Unauthorized);
    public static readonly AgentFailure Unreachable = new("unreachable", AgentTexts.Unreachable);
    public static readonly AgentFailure ProviderError = new("provider-error", AgentTexts.ProviderError);
    public static readonly AgentFailure Busy = new("busy", AgentTexts.Busy);
    public static readonly AgentFailure GatewayUnreachable = new("unreachable", AgentTexts.GatewayUnreachable);
    public static readonly AgentFailure GatewayUnauthorized = new("unauthorized", AgentTexts.GatewayUnauthorized);
    public static readonly AgentFailure AgentNotFound = new("provider-error", AgentTexts.AgentNotFound);

    /// <summary>Null for exceptions that are not the provider's fault (they propagate).</summary>
    public static AgentFailure? Classify(Exception exception) => exception switch
    {
        // The client's retry policy wraps every attempt's failure; the last one says what went wrong.
        AggregateException { InnerExceptions.Count: > 0 } e => Classify(e.InnerExceptions[^1]),
        ClientResultException { Status: 401 or 403 } => Unauthorized,
        ClientResultException { Status: 0 } e when IsConnectionFailure(e) => Unreachable,
        ClientResultException => ProviderError,
        HttpRequestException e when IsConnectionFailure(e) => Unreachable,
        HttpRequestException => ProviderError,
        // The gateway's own words (English, sometimes its error payloads) never reach the user: only these texts do.
        MoltbotGatewayException e => e.Cause switch
        {
            GatewayFailureCause.TokenMismatch or GatewayFailureCause.TokenMissing or GatewayFailureCause.PairingRequired
                or GatewayFailureCause.ScopeMissing or GatewayFailureCause.DeviceTokenRejected => GatewayUnauthorized,
            GatewayFailureCause.Unreachable or GatewayFailureCause.ConnectionLost or GatewayFailureCause.Starting => GatewayUnreachable,
            GatewayFailureCause.Timeout => Timeout,
            GatewayFailureCause.UnknownAgent => AgentNotFound,
            _ => ProviderError,
        },
        _ => null,
    };

    private static bool IsConnectionFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }
        return false;
    }
}
