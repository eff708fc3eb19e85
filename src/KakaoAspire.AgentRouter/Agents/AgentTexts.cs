namespace KakaoAspire.AgentRouter.Agents;

/// <summary>What the user reads when the router, not the model, speaks. Korean, short, with the next step.</summary>
public static class AgentTexts
{
    public const string Reset = "대화 기록을 지웠어요. 새 대화를 시작할게요.";
    public const string Timeout = "에이전트가 제한 시간 안에 답하지 못했어요. 잠시 후 다시 시도해 주세요.";
    public const string Unauthorized = "AI 모델 인증에 실패했어요. 운영자에게 API 키 설정을 확인해 달라고 알려 주세요.";
    public const string Unreachable = "AI 모델 서버에 연결할 수 없어요. 잠시 후 다시 시도해 주세요.";
    public const string ProviderError = "AI 모델이 오류를 돌려줬어요. 잠시 후 다시 시도해 주세요.";
    public const string GatewayUnreachable = "에이전트 서버에 연결할 수 없어요. 잠시 후 다시 시도해 주세요.";
    public const string GatewayUnauthorized = "에이전트 서버가 이 채널의 연결을 허락하지 않았어요. 운영자에게 알려 주세요.";
    public const string AgentNotFound = "이 대화에 연결된 에이전트를 찾을 수 없어요. 운영자에게 알려 주세요.";
    public const string Busy = "앞의 메시지에 아직 답하는 중이에요. 잠시 후 다시 보내 주세요.";
}
