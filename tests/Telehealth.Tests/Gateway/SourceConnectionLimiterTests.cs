using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Gateway.Mqtt.Edge;

namespace Telehealth.Tests.Gateway;

public sealed class SourceConnectionLimiterTests
{
    private static readonly IPAddress Home = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Neighbour = IPAddress.Parse("192.0.2.11");
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_source_holds_at_most_its_open_connections_and_gets_one_back_when_one_closes()
    {
        var limiter = new SourceConnectionLimiter(_clock, maxConnectionsPerSource: 3, attemptsPerSecond: 100, burst: 100, maxConnections: 1000);

        var results = Enumerable.Range(0, 4).Select(_ => limiter.TryAdmit(Home)).ToArray();
        var neighbour = limiter.TryAdmit(Neighbour);
        limiter.Release(Home);
        var afterRelease = limiter.TryAdmit(Home);

        Assert.Equal([SourceAdmission.Admitted, SourceAdmission.Admitted, SourceAdmission.Admitted, SourceAdmission.TooManyConnections], results);
        Assert.Equal(SourceAdmission.Admitted, neighbour);
        Assert.Equal(SourceAdmission.Admitted, afterRelease);
        Assert.Equal(4, limiter.OpenConnections);
    }

    [Fact]
    public void Connect_attempts_are_a_token_bucket_per_source()
    {
        var limiter = new SourceConnectionLimiter(_clock, maxConnectionsPerSource: 100, attemptsPerSecond: 2, burst: 5, maxConnections: 1000);

        var burst = Enumerable.Range(0, 6).Select(_ => Admit(limiter, Home)).ToArray();
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        var tooSoon = Admit(limiter, Home);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var refilledOne = Admit(limiter, Home);
        var neighbour = Admit(limiter, Neighbour);

        Assert.Equal([.. Enumerable.Repeat(SourceAdmission.Admitted, 5), SourceAdmission.TooManyAttempts], burst);
        Assert.Equal(SourceAdmission.TooManyAttempts, tooSoon);
        Assert.Equal(SourceAdmission.Admitted, refilledOne);
        Assert.Equal(SourceAdmission.Admitted, neighbour);
    }

    [Fact]
    public void The_overall_limit_applies_across_sources()
    {
        var limiter = new SourceConnectionLimiter(_clock, maxConnectionsPerSource: 100, attemptsPerSecond: 100, burst: 100, maxConnections: 2);

        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(Home));
        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(Neighbour));
        Assert.Equal(SourceAdmission.TooManyConnections, limiter.TryAdmit(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void An_ipv6_64_is_one_source_and_a_mapped_ipv4_address_is_its_ipv4_source()
    {
        var limiter = new SourceConnectionLimiter(_clock, maxConnectionsPerSource: 2, attemptsPerSecond: 100, burst: 100, maxConnections: 1000);

        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.Equal(SourceAdmission.TooManyConnections, limiter.TryAdmit(IPAddress.Parse("2001:db8:1:2:abcd::7")));
        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(Home));
        Assert.Equal(SourceAdmission.Admitted, limiter.TryAdmit(Home.MapToIPv6()));
        Assert.Equal(SourceAdmission.TooManyConnections, limiter.TryAdmit(Home));
    }

    [Fact]
    public void Idle_sources_are_forgotten_when_the_table_grows()
    {
        var limiter = new SourceConnectionLimiter(_clock, maxConnectionsPerSource: 10, attemptsPerSecond: 1, burst: 2, maxConnections: 1);
        for (var i = 1; i <= 5; i++)
        {
            Admit(limiter, IPAddress.Parse($"198.51.100.{i}"));
        }
        var trackedBefore = limiter.TrackedSources;

        _clock.Advance(TimeSpan.FromSeconds(1));
        Admit(limiter, Home);

        Assert.Equal(5, trackedBefore);
        Assert.Equal(1, limiter.TrackedSources);
        Assert.Equal(0, limiter.OpenConnections);
    }

    private static SourceAdmission Admit(SourceConnectionLimiter limiter, IPAddress address)
    {
        var admission = limiter.TryAdmit(address);
        if (admission == SourceAdmission.Admitted)
        {
            limiter.Release(address);
        }
        return admission;
    }
}
