namespace KakaoAspire.Kakao.Skill;

public sealed record BasicCard : CarouselCard
{
    public string? Title { get; init; }
    public string? Description { get; init; }

    // Required by Kakao; a basicCard without an image is a textCard.
    public Thumbnail? Thumbnail { get; init; }
    public Profile? Profile { get; init; }
    public bool? Forwardable { get; init; }
}
