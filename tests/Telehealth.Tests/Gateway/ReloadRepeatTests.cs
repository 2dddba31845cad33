using Telehealth.Gateway.Mqtt.BrokerSync;

namespace Telehealth.Tests.Gateway;

public sealed class ReloadRepeatTests
{
    public static TheoryData<ReloadSignal, double, bool, double, bool> Cases => new()
    {
        // pass outcome, seconds to the next pass, a change came during the wait, expected wait, expected repeat now
        { ReloadSignal.Sent, 300, false, 1, true },
        { ReloadSignal.Sent, 300, true, 1, false },         // the change's pass signals again anyway
        { ReloadSignal.Sent, 1, false, 1, false },          // so does a pass due no later than the repeat
        { ReloadSignal.Sent, 0.5, false, 0.5, false },
        { ReloadSignal.NoPid, 1, false, 1, false },         // nothing was sent: ReloadRetry tries the pass again
        { ReloadSignal.Failed, 2, false, 2, false },
        { ReloadSignal.NotConfigured, 300, false, 300, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_sent_reload_signal_is_sent_once_more_a_second_later_unless_a_pass_comes_first(
        ReloadSignal outcome, double untilNextPassSeconds, bool changed, double expectedWaitSeconds, bool expectedRepeat)
    {
        var repeat = new ReloadRepeat();
        repeat.AfterPass(outcome);

        Assert.Equal(TimeSpan.FromSeconds(expectedWaitSeconds), repeat.Wait(TimeSpan.FromSeconds(untilNextPassSeconds)));
        Assert.Equal(expectedRepeat, repeat.TakeDue(changed));
    }

    [Fact]
    public void The_signal_is_repeated_once_then_the_wait_is_for_the_next_pass()
    {
        var repeat = new ReloadRepeat();
        var interval = TimeSpan.FromMinutes(5);
        repeat.AfterPass(ReloadSignal.Sent);

        var first = (repeat.Wait(interval), repeat.TakeDue(changed: false));
        var second = (repeat.Wait(interval), repeat.TakeDue(changed: false));

        Assert.Equal((TimeSpan.FromSeconds(1), true), first);
        Assert.Equal((interval, false), second);
    }
}
