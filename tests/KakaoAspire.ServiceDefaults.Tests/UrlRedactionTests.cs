using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace KakaoAspire.ServiceDefaults.Tests;

[Collection(HttpSpans.Collection)]
public sealed class UrlRedactionTests
{
    /// <summary>A provider's rule as a service registers it: the segment after <c>keys</c> is a credential.</summary>
    private sealed class SegmentAfterKeys : IUrlRedactionRule
    {
        public void Mask(string[] segments)
        {
            for (var i = 1; i < segments.Length; i++)
            {
                if (segments[i - 1] == "keys")
                {
                    segments[i] = UrlRedaction.Mask;
                }
            }
        }
    }

    [Theory]
    [InlineData("https://example.com/x?secret=1", "https://example.com/x?***")]
    [InlineData("http://agent-router/internal/turns/0123abcd", "http://agent-router/internal/turns/0123abcd")]
    [InlineData("https://api.example.com/v1/keys/MySecretKey/messages", "https://api.example.com/v1/keys/MySecretKey/messages")]
    public void WithoutAServicesRuleOnlyTheQueryIsMasked(string url, string expected)
    {
        Assert.Equal(expected, new UrlRedaction([]).Redact(new Uri(url)));
    }

    [Fact]
    public async Task TheSpanOfAnOutgoingCallCarriesItsUrlWithoutTheCredentialAServiceNamed()
    {
        var spans = new List<Activity>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ApplicationName = "KakaoAspire.ServiceDefaults.Tests.Redaction",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration[TelemetrySettings.HttpClientSpansKey] = "true";
        builder.ConfigureOpenTelemetry();
        builder.Services.AddUrlRedaction(new SegmentAfterKeys());
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.AddHttpClient();
        await using var app = builder.Build();
        app.MapGet("/v1/keys/{key}/messages", () => "ok");
        await app.StartAsync();

        var server = app.Urls.Single();
        using var response = await app.Services.GetRequiredService<IHttpClientFactory>().CreateClient()
            .GetAsync($"{server}/v1/keys/MySecretKey/messages?token=MyToken");
        Assert.True(response.IsSuccessStatusCode);
        await app.StopAsync();

        var call = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        Assert.Equal($"{server}/v1/keys/***/messages?***", call.GetTagItem("url.full"));
        Assert.DoesNotContain(call.TagObjects, tag => tag.Value?.ToString()?.Contains("MySecret", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(call.TagObjects, tag => tag.Value?.ToString()?.Contains("MyToken", StringComparison.Ordinal) == true);
    }
}
