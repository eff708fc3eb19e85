using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// The agent a new user meets first: offline, no keys, deterministic. It answers the slash commands and
/// otherwise shows that the whole path (Kakao → edge → webhook → router → Redis) works.
/// </summary>
public sealed class BuiltinAgent : IChatClient
{
    public const string HelpText =
        "몰트봇 기본 에이전트예요. 사용할 수 있는 명령:\n" +
        "/help 도움말\n" +
        "/whoami 내 카카오 주소 보기\n" +
        "/reset 대화 기록 지우고 새로 시작\n" +
        "/status 상태 보기\n" +
        "AI 모델을 연결하려면 설정의 agents.list에 OpenAI 호환 에이전트를 추가하세요.";

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var last = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text?.Trim() ?? "";
        var earlierUserTurns = history.Count(m => m.Role == ChatRole.User) - 1;
        var reply = last.Equals("/help", StringComparison.OrdinalIgnoreCase) || last == "도움말"
            ? HelpText
            : $"받은 메시지: \"{last}\"\n" +
              $"(기본 에이전트가 답했어요. 이 대화에서 이전 메시지 {earlierUserTurns}개를 기억하고 있어요. /help 로 명령을 볼 수 있어요.)";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
