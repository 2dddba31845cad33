using Microsoft.Extensions.Time.Testing;
using Telehealth.Gateway.Diagnostics;

namespace Telehealth.Tests.Gateway;

public sealed class RefusalAggregatorTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_refusal_of_a_kind_is_reported_and_repeats_in_the_window_are_counted()
    {
        var aggregator = new RefusalAggregator(_clock, TimeSpan.FromMinutes(1));

        var first = aggregator.Count("bad_credentials|10.0.0.1");
        var repeats = Enumerable.Range(0, 999).Select(_ => aggregator.Count("bad_credentials|10.0.0.1")).ToList();

        Assert.Equal(new RefusalTally(true, 0), first);
        Assert.All(repeats, t => Assert.Equal(new RefusalTally(false, 0), t));
    }

    [Fact]
    public void The_next_window_reports_again_with_the_count_of_the_window_before()
    {
        var aggregator = new RefusalAggregator(_clock, TimeSpan.FromMinutes(1));
        aggregator.Count("k");
        for (var i = 0; i < 41; i++)
        {
            aggregator.Count("k");
        }

        _clock.Advance(TimeSpan.FromSeconds(59));
        var stillInWindow = aggregator.Count("k");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var nextWindow = aggregator.Count("k");
        var quietAfter = aggregator.Count("k");

        Assert.Equal(new RefusalTally(false, 0), stillInWindow);
        Assert.Equal(new RefusalTally(true, 42), nextWindow);
        Assert.Equal(new RefusalTally(false, 0), quietAfter);
    }

    [Fact]
    public void Different_keys_are_counted_apart()
    {
        var aggregator = new RefusalAggregator(_clock, TimeSpan.FromMinutes(1));

        Assert.True(aggregator.Count("bad_credentials|dev-a").Report);
        Assert.True(aggregator.Count("bad_credentials|dev-b").Report);
        Assert.True(aggregator.Count("unknown_device|dev-a").Report);
        Assert.False(aggregator.Count("bad_credentials|dev-a").Report);
    }

    [Fact]
    public void Past_the_key_limit_new_keys_share_the_overflow_key_until_windows_expire()
    {
        var aggregator = new RefusalAggregator(_clock, TimeSpan.FromMinutes(1), maxKeys: 3);
        aggregator.Count("a");
        aggregator.Count("b");
        aggregator.Count("c");

        var d = aggregator.Count("d");
        var e = aggregator.Count("e");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var f = aggregator.Count("f");

        Assert.Equal(new RefusalTally(true, 0), d);
        Assert.Equal(new RefusalTally(false, 0), e);
        Assert.Equal(new RefusalTally(true, 0), f);
    }
}
