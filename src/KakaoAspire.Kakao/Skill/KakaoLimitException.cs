namespace KakaoAspire.Kakao.Skill;

/// <summary>A SkillResponse breaks a Kakao limit; Open Builder would answer "Invalid json response from bot-skill".</summary>
public sealed class KakaoLimitException : Exception
{
    public KakaoLimitException(string path, string message)
        : base(message)
    {
        Path = path;
    }

    public KakaoLimitException(string path, string message, int actual, int maximum)
        : this(path, message)
    {
        Actual = actual;
        Maximum = maximum;
    }

    /// <summary>JSON path of the offending value, e.g. <c>template.outputs[0].simpleText.text</c>.</summary>
    public string Path { get; }

    public int? Actual { get; }
    public int? Maximum { get; }
}
