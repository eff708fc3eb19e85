using System.Text.Json.Nodes;

namespace KakaoAspire.Kakao.Skill;

public sealed record ListCard : CarouselCard
{
    public ListCardHeader? Header { get; init; }
    public IReadOnlyList<ListItem>? Items { get; init; }
}

public sealed record ListCardHeader(string Title);

public sealed record ListItem
{
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public Link? Link { get; init; }

    // "block" or "message", like a quick reply.
    public string? Action { get; init; }
    public string? BlockId { get; init; }
    public string? MessageText { get; init; }
    public JsonObject? Extra { get; init; }
}
