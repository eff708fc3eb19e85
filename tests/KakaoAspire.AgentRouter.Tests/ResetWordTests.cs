using KakaoAspire.AgentRouter.Turns;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>"/reset" and "/new" start a new conversation: typed in any case, with spaces around them, and nothing else.</summary>
public class ResetWordTests
{
    [Theory]
    [InlineData("/reset")]
    [InlineData("/RESET")]
    [InlineData("  /Reset \n")]
    [InlineData("/new")]
    [InlineData("\t/NEW")]
    public void A_reset_word_alone_starts_a_new_conversation(string text) => Assert.True(TurnRunner.IsReset(text));

    [Theory]
    [InlineData("/reset please")]
    [InlineData("reset")]
    [InlineData("/news")]
    [InlineData("/리셋")]
    [InlineData("/reſet")]
    [InlineData("")]
    public void Anything_else_is_a_message_for_the_agent(string text) => Assert.False(TurnRunner.IsReset(text));
}
