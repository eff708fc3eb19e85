namespace KakaoAspire.Moltbot.Config;

/// <summary>Proactive sending for one account: NHN Friend Talk / brand message and Kakao's Event API.</summary>
public sealed record OutboundConfig
{
    public const string DefaultNhnBaseUrl = "https://api-alimtalk.cloud.toast.com";
    public const string DefaultBrandMessageBaseUrl = "https://kakaotalk-bizmessage.api.nhncloudservice.com";
    public const string DefaultEventApiBaseUrl = "https://bot-api.kakao.com";
    public const string DefaultEventName = "moltbot_push";
    public const int DefaultDailyCap = 1000;
    public const int DefaultAgentSendsPerTurn = 3;
    public const int DefaultAgentSendsPerUserPerDay = 20;

    public PhoneProvider PhoneProvider { get; init; } = PhoneProvider.FriendtalkCompat;

    public string NhnBaseUrl { get; init; } = DefaultNhnBaseUrl;

    public string BrandMessageBaseUrl { get; init; } = DefaultBrandMessageBaseUrl;

    public string EventApiBaseUrl { get; init; } = DefaultEventApiBaseUrl;

    public string EventName { get; init; } = DefaultEventName;

    public bool IsAd { get; init; }

    /// <summary>Null when the file says <c>"nightWindow": null</c> (no night window).</summary>
    public NightWindow? NightWindow { get; init; } = new(new TimeOnly(20, 50), new TimeOnly(8, 0), NightWindow.Default);

    public int DailyCap { get; init; } = DefaultDailyCap;

    /// <summary>Recipients beyond the asking user that an agent's kakao_send may reach.</summary>
    public IReadOnlyList<string> AgentRecipients { get; init; } = [];

    /// <summary>kakao_send calls one agent turn may make (0: agents may not send).</summary>
    public int AgentSendsPerTurn { get; init; } = DefaultAgentSendsPerTurn;

    /// <summary>
    /// kakao_send calls the turns of one user may make per KST day, so one user's prompt cannot use up
    /// <see cref="DailyCap"/> for everyone.
    /// </summary>
    public int AgentSendsPerUserPerDay { get; init; } = DefaultAgentSendsPerUserPerDay;

    public override string ToString() =>
        $"OutboundConfig {{ PhoneProvider = {PhoneProvider.ToConfigValue()}, NhnBaseUrl = {NhnBaseUrl}, " +
        $"BrandMessageBaseUrl = {BrandMessageBaseUrl}, EventApiBaseUrl = {EventApiBaseUrl}, EventName = {EventName}, " +
        $"IsAd = {IsAd}, NightWindow = {NightWindow?.Raw ?? "(none)"}, DailyCap = {DailyCap}, " +
        $"AgentRecipients = [{string.Join(", ", AgentRecipients)}], AgentSendsPerTurn = {AgentSendsPerTurn}, " +
        $"AgentSendsPerUserPerDay = {AgentSendsPerUserPerDay} }}";
}
