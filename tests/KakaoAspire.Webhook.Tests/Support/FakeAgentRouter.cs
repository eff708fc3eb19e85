using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using KakaoAspire.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.Webhook.Tests.Fakes;

/// <summary>
/// The agent-router's turn contract on a real loopback Kestrel: POST /internal/turns/ runs a turn (once per turnId),
/// GET /internal/turns/{id} answers 200/202/404, POST /internal/turns/delivered forgets delivered answers. What the "agent" does is read from the utterance:
/// <c>slow:&lt;ms&gt; …</c> waits, <c>fail</c> answers 500, <c>empty</c> replies nothing, <c>long:&lt;n&gt;</c> writes n characters,
/// <c>qr …</c> adds quick replies, <c>… die</c> kills the router mid-turn (see <see cref="DiedAsync"/>); anything else is echoed
/// as "답변: …".
/// </summary>
public sealed class FakeAgentRouter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Lazy<Task<TurnResponse?>>> _turns = new();
    private readonly ConcurrentQueue<TurnRequest> _runs = new();
    private readonly ConcurrentQueue<string> _forgotten = new();
    private readonly ConcurrentQueue<IReadOnlyList<string>> _deliveredCalls = new();
    private readonly ConcurrentQueue<string> _died = new();

    private FakeAgentRouter(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every turn the agent actually ran (a repeated turnId is not a new run).</summary>
    public IReadOnlyList<TurnRequest> Runs => [.. _runs];

    public int RunsOf(string utterance) => _runs.Count(r => r.Text == utterance);

    /// <summary>The turn ids the webhook said it delivered, in order.</summary>
    public IReadOnlyList<string> Forgotten => [.. _forgotten];

    /// <summary>Each delivered call's turn ids, in the order the calls arrived.</summary>
    public IReadOnlyList<IReadOnlyList<string>> DeliveredCalls => [.. _deliveredCalls];

    /// <summary>While set, a delivered call is recorded at once but answered only when this completes (a busy router).</summary>
    public TaskCompletionSource? HoldDelivered { get; set; }

    /// <summary>
    /// Waits until the agent finished the run of this utterance, then a moment for its answer to reach the webhook. A test
    /// that needs "the earlier answer is ready" waits on this instead of a fixed sleep, which a stalled machine outran.
    /// </summary>
    public async Task FinishedAsync(string utterance, TimeSpan timeout)
    {
        await UntilAsync(() =>
        {
            var runs = _runs.Where(r => r.Text == utterance).Select(r => r.TurnId).ToList();
            return runs.Count > 0 && runs.All(id => _turns.TryGetValue(id, out var turn) && turn.Value.IsCompleted);
        }, timeout, $"the agent did not finish \"{utterance}\"");
        await Task.Delay(AnswerTransit, CancellationToken.None);
    }

    /// <summary>
    /// Waits until the run of this utterance (ending in " die") "died": after its <c>slow:</c> wait the router dropped the
    /// connection without an answer, and GET answers 202 for it from then on, as the real router's claim on a turn does
    /// after a SIGKILL until the claim runs out.
    /// </summary>
    public Task DiedAsync(string utterance, TimeSpan timeout) =>
        UntilAsync(() => _runs.Any(r => r.Text == utterance && _died.Contains(r.TurnId)), timeout, $"the router did not die on \"{utterance}\"");

    private static async Task UntilAsync(Func<bool> done, TimeSpan timeout, string failure)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (!done())
        {
            if (cancel.IsCancellationRequested)
            {
                throw new TimeoutException($"{failure} within {timeout.TotalSeconds:F0} s");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    // The answer's way back over loopback HTTP; generous so a busy 2-core machine still makes it.
    private static readonly TimeSpan AnswerTransit = TimeSpan.FromMilliseconds(300);

    /// <summary>An answer the router finished before this webhook asked (a turn another replica started).</summary>
    public void Seed(TurnResponse answer) => _turns[answer.TurnId] = new(() => Task.FromResult<TurnResponse?>(answer));

    public static async Task<FakeAgentRouter> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        var router = new FakeAgentRouter(app);
        app.MapPost("/internal/turns/", async (TurnRequest request, HttpContext context) =>
        {
            if (request.Text.EndsWith(" die", StringComparison.Ordinal))
            {
                await router.DieAsync(request, context);
                return Results.Empty;
            }
            var answer = await router._turns.GetOrAdd(request.TurnId, _ => new(() => router.RunAsync(request))).Value;
            return answer is null ? Results.Problem(statusCode: 500, title: "agent failed") : Results.Ok(answer);
        });
        app.MapGet("/alive", () => Results.Ok("Healthy"));
        app.MapGet("/internal/turns/{turnId}", (string turnId) =>
        {
            if (!router._turns.TryGetValue(turnId, out var turn))
            {
                return Results.NotFound();
            }
            var task = turn.Value;
            return !task.IsCompleted ? Results.Accepted()
                : task.Result is { } answer ? Results.Ok(answer)
                : Results.NotFound();
        });
        app.MapPost(InternalPaths.DeliveredTurns, async (DeliveredTurns delivered) =>
        {
            router._deliveredCalls.Enqueue(delivered.TurnIds);
            foreach (var turnId in delivered.TurnIds)
            {
                router._forgotten.Enqueue(turnId);
                router._turns.TryRemove(turnId, out _);
            }
            if (router.HoldDelivered is { } hold)
            {
                await hold.Task;
            }
            return Results.NoContent();
        });
        await app.StartAsync();
        router.Url = app.Urls.First();
        return router;
    }

    private async Task DieAsync(TurnRequest request, HttpContext context)
    {
        // Claimed "running" for good: never completes, so GET answers 202.
        _turns[request.TurnId] = new(() => new TaskCompletionSource<TurnResponse?>().Task);
        _runs.Enqueue(request);
        await Wait(request.Text);
        _died.Enqueue(request.TurnId);
        context.Abort();
    }

    private static Task Wait(string text)
    {
        if (!text.StartsWith("slow:", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        var end = text.IndexOf(' ');
        return Task.Delay(int.Parse(text[5..(end < 0 ? text.Length : end)], CultureInfo.InvariantCulture));
    }

    private async Task<TurnResponse?> RunAsync(TurnRequest request)
    {
        _runs.Enqueue(request);
        var text = request.Text;
        await Wait(text);
        if (text == "fail" || text.EndsWith(" fail", StringComparison.Ordinal))
        {
            return null;
        }
        return new TurnResponse
        {
            TurnId = request.TurnId,
            AgentId = "main",
            SessionKey = $"agent:main:kakao:{request.AccountId}:dm:{request.UserId}",
            Text = text == "empty" ? "" : text.StartsWith("long:", StringComparison.Ordinal) ? Long(int.Parse(text[5..], CultureInfo.InvariantCulture)) : $"답변: {text}",
            QuickReplies = text.StartsWith("qr", StringComparison.Ordinal) ? ["하나", "둘"] : [],
        };
    }

    /// <summary>n characters of numbered Korean sentences, so every part of the text can be found again.</summary>
    public static string Long(int length)
    {
        var text = new StringBuilder();
        for (var i = 1; text.Length < length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"문장{i:D4}은 긴 답변의 일부입니다. ");
        }
        return text.ToString(0, length).TrimEnd();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
