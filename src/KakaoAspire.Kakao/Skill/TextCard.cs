namespace KakaoAspire.Kakao.Skill;

public sealed record TextCard : CarouselCard
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public bool? Forwardable { get; init; }
}
