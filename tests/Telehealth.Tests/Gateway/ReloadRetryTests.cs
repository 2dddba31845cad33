using Telehealth.Gateway.Mqtt.BrokerSync;

namespace Telehealth.Tests.Gateway;

public sealed class ReloadRetryTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public static TheoryData<ReloadSignal[], double> Sequences => new()
    {
        { [], 300 },
        { [ReloadSignal.Sent], 300 },
        { [ReloadSignal.NotConfigured], 300 },
        { [ReloadSignal.NoPid], 1 },
        { [ReloadSignal.NoPid, ReloadSignal.NoPid], 2 },
        { [ReloadSignal.NoPid, ReloadSignal.Failed, ReloadSignal.NoPid], 4 },
        { [ReloadSignal.NoPid, ReloadSignal.NoPid, ReloadSignal.Sent], 300 },
        { [ReloadSignal.NoPid, ReloadSignal.Sent, ReloadSignal.NoPid], 1 },
        // Doubling stops at the interval: a broker that never comes gets the usual resync, not a busy loop.
        { Enumerable.Repeat(ReloadSignal.NoPid, 9).ToArray(), 256 },
        { Enumerable.Repeat(ReloadSignal.NoPid, 10).ToArray(), 300 },
        { Enumerable.Repeat(ReloadSignal.Failed, 100).ToArray(), 300 },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void A_pass_that_could_not_make_the_broker_reload_is_retried_after_1_2_4_seconds_up_to_the_interval(ReloadSignal[] outcomes, double expectedSeconds)
    {
        var retry = new ReloadRetry(Interval);
        foreach (var outcome in outcomes)
        {
            retry.Record(outcome);
        }

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), retry.NextWait);
    }
}
