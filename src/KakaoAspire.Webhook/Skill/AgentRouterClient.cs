namespace KakaoAspire.Webhook.Skill;

/// <summary>Calls the agent-router service (service to service, resolved by service discovery).</summary>
public sealed class AgentRouterClient(HttpClient http)
{
    public async Task<TurnResponse> RunTurnAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/internal/turns/", request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TurnResponse>(cancellationToken)
            ?? throw new InvalidOperationException("The agent-router answered with an empty body.");
    }
}
