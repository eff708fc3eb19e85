using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// The agent a new user meets first: offline, no keys, deterministic. It answers the slash commands and
/// otherwise shows that the whole path (Kakao → edge → webhook → router → Redis) works.
/// <c>/reset</c> and <c>/new</c> never reach it: the router handles them for every agent.
/// </summary>
public sealed class BuiltinAgent : NonStreamingChatClient
{
    public const string HelpText =
        "몰트봇 기본 에이전트예요. 사용할 수 있는 명령:\n" +
        "/help 도움말\n" +
        "/whoami 내 카카오 주소 보기\n" +
        "/reset 대화 기록 지우고 새로 시작\n" +
        "/status 상태 보기\n" +
        "/demo 카드 예시 보기\n" +
        "AI 모델을 연결하려면 설정의 agents.list에 OpenAI 호환 에이전트를 추가하세요.";

    public static readonly IReadOnlyList<string> CommandQuickReplies = ["/help", "/whoami", "/status", "/demo", "/reset"];

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var last = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text?.Trim() ?? "";
        var context = TurnContext.From(options);
        var reply = last.ToLowerInvariant() switch
        {
            "/help" or "도움말" => HelpText,
            "/whoami" => WhoAmI(context),
            "/status" => Status(context),
            "/demo" or "데모" => "카드로 답할 수도 있어요. 옆으로 넘겨 보세요.",
            _ => $"받은 메시지: \"{last}\"\n" +
                 $"(기본 에이전트가 답했어요. 이 대화에서 이전 메시지 {history.Count(m => m.Role == ChatRole.User) - 1}개를 기억하고 있어요. " +
                 "/help 로 명령을 볼 수 있어요.)",
        };
        var message = new ChatMessage(ChatRole.Assistant, reply);
        if (last.StartsWith('/') || last == "도움말")
        {
            message.AdditionalProperties = new() { [QuickRepliesProperty] = CommandQuickReplies };
        }
        if (last.ToLowerInvariant() is "/demo" or "데모")
        {
            (message.AdditionalProperties ??= [])[CardsProperty] = DemoCards;
        }
        return Task.FromResult(new ChatResponse(message));
    }

    /// <summary>Cards an agent attaches to its answer message (a list of <see cref="TurnCard"/>).</summary>
    public const string CardsProperty = "moltbot.cards";

    /// <summary>What <c>/demo</c> shows: that answers can be cards with buttons, rendered as a carousel.</summary>
    public static readonly IReadOnlyList<TurnCard> DemoCards =
    [
        new() { Title = "도움말", Description = "사용할 수 있는 명령을 봐요.", Buttons = [new("도움말 보기", TurnButton.Message, "/help")] },
        new() { Title = "내 주소", Description = "allowFrom에 넣을 내 카카오 주소를 봐요.", Buttons = [new("주소 보기", TurnButton.Message, "/whoami")] },
        new() { Title = "상태", Description = "에이전트와 세션 상태를 봐요.", Buttons = [new("상태 보기", TurnButton.Message, "/status")] },
    ];

    /// <summary>Quick replies an agent attaches to its answer message (a list of strings).</summary>
    public const string QuickRepliesProperty = "moltbot.quickReplies";

    private static string WhoAmI(TurnContext? context)
    {
        if (context is null || context.Addresses.Count == 0)
        {
            return "이 대화에서는 카카오 주소를 알 수 없어요.";
        }
        return "내 카카오 주소예요. allowFrom이나 kakao send에 그대로 쓰면 돼요.\n" + string.Join("\n", context.Addresses);
    }

    private static string Status(TurnContext? context) => context is null
        ? "몰트봇 기본 에이전트가 동작 중이에요."
        : "몰트봇 상태\n" +
          $"에이전트: {context.Route.Agent.Id} (선택 규칙: {context.Route.MatchedBy})\n" +
          $"계정: {context.Request.AccountId}\n" +
          $"세션: {context.SessionKey}\n" +
          $"기억 중인 메시지: {context.HistoryMessages}개";
}
