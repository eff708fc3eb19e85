using KakaoAspire.Kakao.Skill;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Answers;

/// <summary>The rest of a long answer, page by page behind "더 보기", in Redis for a day; served without the agent.</summary>
public sealed class MorePagesStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    public async Task SaveAsync(string accountId, string userId, string pagesId, IReadOnlyList<SkillResponse> pages)
    {
        var db = redis.GetDatabase();
        var key = RedisKeys.MorePages(pagesId);
        await db.ListRightPushAsync(key, pages.Select(p => (RedisValue)SkillJson.Serialize(p)).ToArray());
        await db.KeyExpireAsync(key, Keep);
        await db.StringSetAsync(RedisKeys.LatestMorePages(accountId, userId), pagesId, Keep);
    }

    /// <summary>The next page of <paramref name="pagesId"/> (or of the user's latest long answer), null when none is left.</summary>
    public async Task<SkillResponse?> NextAsync(string accountId, string userId, string? pagesId)
    {
        var db = redis.GetDatabase();
        if (string.IsNullOrEmpty(pagesId))
        {
            var latest = await db.StringGetAsync(RedisKeys.LatestMorePages(accountId, userId));
            if (latest.IsNullOrEmpty)
            {
                return null;
            }
            pagesId = latest.ToString();
        }
        var page = await db.ListLeftPopAsync(RedisKeys.MorePages(pagesId));
        return page.IsNullOrEmpty ? null : SkillJson.DeserializeResponse(page.ToString());
    }
}
