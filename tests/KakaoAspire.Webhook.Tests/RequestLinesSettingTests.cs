using Microsoft.Extensions.Options;

namespace KakaoAspire.Webhook.Tests;

/// <summary>A wrong <c>Telemetry:MaxRequestLinesPerSecond</c> stops the start and says what to write.</summary>
public sealed class RequestLinesSettingTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    public async Task A_negative_or_not_a_number_limit_stops_the_start_naming_the_setting(string value)
    {
        await using var factory = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50),
            new Dictionary<string, string> { ["Telemetry:MaxRequestLinesPerSecond"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Telemetry:MaxRequestLinesPerSecond must be a number of lines a second, or 0", error.Message);
    }
}
