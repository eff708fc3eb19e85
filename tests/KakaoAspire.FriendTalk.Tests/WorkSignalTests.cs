using KakaoAspire.FriendTalk.Sending;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>The in-process wake of the sender and the poller: many wakes are one pass, and none is lost.</summary>
public sealed class WorkSignalTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Many_wakes_before_the_loop_looks_are_one_pass()
    {
        var signal = new WorkSignal();

        for (var i = 0; i < 1000; i++)
        {
            signal.Wake();
        }

        Assert.True(await signal.WaitAsync(Long, CancellationToken.None).WaitAsync(Long));
        Assert.False(await signal.WaitAsync(Short, CancellationToken.None).WaitAsync(Long));
    }

    [Fact]
    public async Task A_wake_while_the_loop_works_makes_its_next_wait_return_at_once()
    {
        var signal = new WorkSignal();
        signal.Wake();
        Assert.True(await signal.WaitAsync(Long, CancellationToken.None).WaitAsync(Long));

        // The loop is working on what it was woken for; more work arrives.
        signal.Wake();

        Assert.True(await signal.WaitAsync(Long, CancellationToken.None).WaitAsync(Long));
    }

    [Fact]
    public async Task Wakes_from_many_threads_at_once_never_throw_and_leave_one_pass()
    {
        var signal = new WorkSignal();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                signal.Wake();
            }
        }))).WaitAsync(Long);

        Assert.True(await signal.WaitAsync(Long, CancellationToken.None).WaitAsync(Long));
        Assert.False(await signal.WaitAsync(Short, CancellationToken.None).WaitAsync(Long));
    }

    [Fact]
    public async Task A_loop_waiting_is_woken_by_the_next_wake()
    {
        var signal = new WorkSignal();
        var waiting = signal.WaitAsync(Long, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        signal.Wake();

        Assert.True(await waiting.WaitAsync(Long));
    }
}
