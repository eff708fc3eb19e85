namespace KakaoAspire.Kakao.Skill;

// A plain text bubble; ≤ 1000 characters, collapsed behind "전체 보기" after 500 (docs/kakao-skill-protocol.md#limits).
public sealed record SimpleText(string Text);
