namespace KakaoAspire.Kakao.Skill;

public sealed record SimpleImage(string ImageUrl, string? AltText = null);
