using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Gateway.Ingress;

namespace Telehealth.Tests.Devices;

public sealed class DeviceRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    private DeviceRateLimiter Limiter(double perSecond, int burst) =>
        new(Options.Create(new DeviceIngressOptions { MessagesPerSecond = perSecond, Burst = burst }), _clock);

    [Fact]
    public void A_burst_is_allowed_then_every_further_message_is_refused_and_counted()
    {
        var limiter = Limiter(perSecond: 2, burst: 5);

        var allowed = Enumerable.Range(0, 12).Count(_ => limiter.TryAcquire("dev-a"));

        Assert.Equal(5, allowed);
        Assert.Equal(7, limiter.RefusedCount("dev-a"));
    }

    [Theory]
    // seconds waited after emptying a bucket of 5 at 2/s → messages then allowed
    [InlineData(0.4, 0)]
    [InlineData(0.5, 1)]
    [InlineData(1.0, 2)]
    [InlineData(2.4, 4)]
    [InlineData(60, 5)] // never more than the burst
    public void Tokens_come_back_at_the_sustained_rate(double seconds, int expected)
    {
        var limiter = Limiter(perSecond: 2, burst: 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.TryAcquire("dev-a"));
        }

        _clock.Advance(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("dev-a")));
    }

    [Fact]
    public void One_device_flooding_does_not_cost_another_its_budget()
    {
        var limiter = Limiter(perSecond: 1, burst: 3);
        for (var i = 0; i < 1000; i++)
        {
            limiter.TryAcquire("dev-flood");
        }

        Assert.Equal(997, limiter.RefusedCount("dev-flood"));
        Assert.True(limiter.TryAcquire("dev-quiet"));
        Assert.Equal(0, limiter.RefusedCount("dev-quiet"));
    }
}
