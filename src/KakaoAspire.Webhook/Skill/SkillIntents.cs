using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Webhook.Skill;

/// <summary>Our own quick replies ("더 보기", "답변 확인"), recognised by their clientExtra or, typed, by their text.</summary>
public static class SkillIntents
{
    /// <summary>"더 보기": tapped (its extra names the pages and, since paging became retry-safe, the page) or typed.</summary>
    public static bool IsMore(SkillPayload payload, out string? pagesId, out int? page, out bool tapped)
    {
        pagesId = null;
        page = null;
        tapped = Kind(payload) == SkillTexts.ExtraMore;
        if (tapped && payload.Action!.TryGetClientExtra(SkillTexts.ExtraPages, out var pages) && pages.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            pagesId = pages.GetString();
        }
        if (tapped && payload.Action!.TryGetClientExtra(SkillTexts.ExtraPage, out var index)
            && index.ValueKind == System.Text.Json.JsonValueKind.Number && index.TryGetInt32(out var number))
        {
            page = number;
        }
        return tapped || string.Equals(payload.Utterance?.Trim(), SkillTexts.MoreLabel, StringComparison.Ordinal);
    }

    public static bool IsCheck(SkillPayload payload, out bool tapped)
    {
        tapped = Kind(payload) == SkillTexts.ExtraCheck;
        return tapped || string.Equals(payload.Utterance?.Trim(), SkillTexts.CheckLabel, StringComparison.Ordinal);
    }

    private static string? Kind(SkillPayload payload) =>
        payload.Action?.TryGetClientExtra(SkillTexts.ExtraKind, out var kind) == true && kind.ValueKind == System.Text.Json.JsonValueKind.String
            ? kind.GetString()
            : null;
}
