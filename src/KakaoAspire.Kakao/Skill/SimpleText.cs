namespace KakaoAspire.Kakao.Skill;

// A plain text bubble; ≤ 1000 characters, collapsed behind "전체 보기" after 500 (§A3).
public sealed record SimpleText(string Text);
