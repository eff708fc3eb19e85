using KakaoAspire.Kakao.Skill;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Answers;

/// <summary>
/// The rest of a long answer, page by page behind "더 보기", in Redis for a day; served without the agent. Pages are
/// read, never popped: a tapped "더 보기" names its page, and a typed one is remembered per request, so Kakao sending
/// the same request again gets the same page, never the one after it.
/// </summary>
public sealed class MorePagesStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    // A tap moves the typed cursor past its page (never back), so a typed "더 보기" afterwards continues from there.
    private const string AdvanceCursorScript = """
        local cursor = tonumber(redis.call('GET', KEYS[1]) or '0')
        if cursor < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
        return 1
        """;

    // The page this request was given before (a retry), else the next one by the cursor, remembered for the retry window.
    private const string NextTypedScript = """
        local served = redis.call('GET', KEYS[1])
        if not served then
            served = tostring(redis.call('INCR', KEYS[2]) - 1)
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], served, 'PX', ARGV[2]) end
        end
        return redis.call('LINDEX', KEYS[3], served)
        """;

    public async Task SaveAsync(string accountId, string userId, string pagesId, IReadOnlyList<SkillResponse> pages)
    {
        var db = redis.GetDatabase();
        var key = WebhookRedisKeys.MorePages(pagesId);
        await db.ListRightPushAsync(key, pages.Select(p => (RedisValue)SkillJson.Serialize(p)).ToArray());
        await db.KeyExpireAsync(key, Keep);
        await db.StringSetAsync(WebhookRedisKeys.LatestMorePages(accountId, userId), pagesId, Keep);
    }

    /// <summary>The page a tapped "더 보기" names (0 = the first page after the reply), null when there is none.</summary>
    public async Task<SkillResponse?> PageAsync(string pagesId, int page)
    {
        var db = redis.GetDatabase();
        var value = page < 0 ? RedisValue.Null : await db.ListGetByIndexAsync(WebhookRedisKeys.MorePages(pagesId), page);
        if (value.IsNullOrEmpty)
        {
            return null;
        }
        await db.ScriptEvaluateAsync(AdvanceCursorScript, [WebhookRedisKeys.MorePagesCursor(pagesId)], [page + 1, (long)Keep.TotalMilliseconds]);
        return SkillJson.DeserializeResponse(value.ToString());
    }

    /// <summary>
    /// The next page of <paramref name="pagesId"/> (or of the user's latest long answer) for a typed "더 보기"; the same
    /// request (<paramref name="requestHash"/>) within <paramref name="retryWindow"/> gets the same page. Null when none is left.
    /// </summary>
    public async Task<SkillResponse?> NextAsync(string accountId, string userId, string? pagesId, string requestHash, TimeSpan retryWindow)
    {
        var db = redis.GetDatabase();
        if (string.IsNullOrEmpty(pagesId))
        {
            var latest = await db.StringGetAsync(WebhookRedisKeys.LatestMorePages(accountId, userId));
            if (latest.IsNullOrEmpty)
            {
                return null;
            }
            pagesId = latest.ToString();
        }
        var page = (RedisValue)await db.ScriptEvaluateAsync(NextTypedScript,
            [WebhookRedisKeys.MorePagesServed(requestHash), WebhookRedisKeys.MorePagesCursor(pagesId), WebhookRedisKeys.MorePages(pagesId)],
            [(long)Keep.TotalMilliseconds, (long)retryWindow.TotalMilliseconds]);
        return page.IsNullOrEmpty ? null : SkillJson.DeserializeResponse(page.ToString());
    }
}
