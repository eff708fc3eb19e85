using System.Net;
using KakaoAspire.Webhook.Deadline;

namespace KakaoAspire.Webhook.Skill;

/// <summary>
/// Calls the agent-router (service to service). <c>POST /internal/turns/</c> runs a turn (a repeated turnId returns the
/// stored answer); <c>GET /internal/turns/{id}</c> answers 200 (done), 202 (running) or 404 (unknown);
/// <c>POST /internal/turns/delivered</c> forgets delivered answers, many in one call.
/// </summary>
public sealed class AgentRouterClient(HttpClient http)
{
    public async Task<TurnResponse> RunTurnAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(InternalPaths.Turns + "/", request, RouterJson.Default.TurnRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(RouterJson.Default.TurnResponse, cancellationToken)
            ?? throw new InvalidOperationException("The agent-router answered with an empty body.");
    }

    public async Task ForgetTurnsAsync(IReadOnlyList<string> turnIds, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(InternalPaths.DeliveredTurns, new DeliveredTurns(turnIds), RouterJson.Default.DeliveredTurns,
            cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<TurnOutcome> GetTurnAsync(string turnId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(InternalPaths.Turn(Uri.EscapeDataString(turnId)), cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                return new(AnswerState.Ready, await response.Content.ReadFromJsonAsync(RouterJson.Default.TurnResponse, cancellationToken));
            case HttpStatusCode.Accepted:
                return new(AnswerState.Running);
            case HttpStatusCode.NotFound:
                return new(AnswerState.Unknown);
            default:
                response.EnsureSuccessStatusCode();
                return new(AnswerState.Running);
        }
    }
}
