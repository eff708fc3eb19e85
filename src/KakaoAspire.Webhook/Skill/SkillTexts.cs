using System.Text.Json.Nodes;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Webhook.Skill;

/// <summary>What the user reads from the webhook itself: short, polite, Korean.</summary>
public static class SkillTexts
{
    public const string AgentFailed = "죄송해요, 지금은 답변을 만들 수 없어요. 잠시 후 다시 말씀해 주세요.";
    public const string StillThinking = "답변을 아직 준비하고 있어요. 잠시 후 '답변 확인'을 눌러 주세요.";
    public const string CallbackWaiting = "답변을 준비하고 있어요. 잠시만 기다려 주세요.";
    public const string NothingHeld = "기다리고 있는 답변이 없어요. 궁금한 것을 말씀해 주세요.";
    public const string NoMorePages = "더 보여 드릴 내용이 없어요.";
    public const string Busy = "지금 요청이 많아 답할 수 없어요. 잠시 후 다시 보내 주세요.";

    public const string MoreLabel = "더 보기";
    public const string CheckLabel = "답변 확인";

    // The quick replies carry what they are in clientExtra, so they are recognised without the agent (and never deduped away).
    public const string ExtraKind = "moltbot";
    public const string ExtraMore = "more";
    public const string ExtraCheck = "check";
    public const string ExtraPages = "pages";
    public const string ExtraPage = "page";

    public static QuickReply CheckQuickReply() =>
        QuickReply.Message(CheckLabel, CheckLabel, new JsonObject { [ExtraKind] = ExtraCheck });

    /// <summary>
    /// "더 보기" for the page at <paramref name="page"/> of the stored rest: the tap names its page, so Kakao retrying the
    /// same tap gets the same page again instead of the one after it.
    /// </summary>
    public static QuickReply MoreQuickReply(string pagesId, int page) =>
        QuickReply.Message(MoreLabel, MoreLabel, new JsonObject { [ExtraKind] = ExtraMore, [ExtraPages] = pagesId, [ExtraPage] = page });

    public static SkillResponse StillThinkingResponse() => SkillResponse.Text(StillThinking, CheckQuickReply());

    /// <summary>"Still thinking" as the last of several answers (its quick reply is recognised by its text).</summary>
    public static TurnResponse StillThinkingNote(string turnId) => new()
    {
        TurnId = turnId,
        AgentId = "",
        SessionKey = "",
        Text = StillThinking,
        QuickReplies = [CheckLabel],
    };

    public const string AlreadyDelivered = "답변은 이미 앞선 메시지에서 전해 드렸어요.";

    /// <summary>The pairing reply; <paramref name="cli"/> is the command that approves in the store holding the code.</summary>
    public static string PairingRequest(string userId, string code, string cli = "moltbot") =>
        $"""
        Moltbot: 아직 이 채널에서 대화할 수 있도록 허용되지 않았어요.

        카카오 사용자 ID: {userId}

        페어링 코드: {code}

        봇 관리자에게 다음 명령으로 승인해 달라고 요청해 주세요:
        {cli} pairing approve kakao {code}
        """;
}
