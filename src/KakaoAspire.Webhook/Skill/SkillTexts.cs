namespace KakaoAspire.Webhook.Skill;

/// <summary>What the user reads when something went wrong on our side: short, polite, Korean.</summary>
public static class SkillTexts
{
    public const string AgentFailed = "죄송해요, 지금은 답변을 만들 수 없어요. 잠시 후 다시 말씀해 주세요.";
}
