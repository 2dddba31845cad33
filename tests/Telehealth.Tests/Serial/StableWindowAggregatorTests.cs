using Microsoft.Extensions.Time.Testing;
using Telehealth.Gateway.Serial.Aggregation;
using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Tests.Serial;

public sealed class StableWindowAggregatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly OximeterSample Clean = new(97, 72, OximeterFlags.None);

    /// <summary>Feeds one sample a second from the fake clock, then lets the window end; returns every closed window.</summary>
    private static List<WindowOutcome> Run(StableWindowOptions options, IEnumerable<OximeterSample> perSecond, TimeSpan? runOn = null)
    {
        var clock = new FakeTimeProvider(Start);
        var aggregator = new StableWindowAggregator(options);
        var closed = new List<WindowOutcome>();
        foreach (var sample in perSecond)
        {
            if (aggregator.Add(sample, clock.GetUtcNow()) is { } outcome)
            {
                closed.Add(outcome);
            }
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        clock.Advance(runOn ?? options.Window);
        if (aggregator.Tick(clock.GetUtcNow()) is { } last)
        {
            closed.Add(last);
        }
        return closed;
    }

    private static IEnumerable<OximeterSample> Repeat(OximeterSample sample, int count) => Enumerable.Repeat(sample, count);

    [Fact]
    public void Thirty_clean_seconds_give_one_reading_at_the_window_end_not_thirty()
    {
        var closed = Run(new StableWindowOptions(), Repeat(Clean, 30));

        var reading = Assert.Single(closed);
        Assert.True(reading.IsReading);
        Assert.Equal((97, 72), (reading.Spo2, reading.PulseRate));
        Assert.Equal(Start, reading.Start);
        Assert.Equal(Start.AddSeconds(30), reading.End);
        Assert.Equal((30, 30), (reading.Samples, reading.ValidSamples));
    }

    [Fact]
    public void A_steady_stream_gives_one_reading_per_window_each_at_its_own_end()
    {
        var closed = Run(new StableWindowOptions(), Repeat(Clean, 90));

        Assert.Equal([Start.AddSeconds(30), Start.AddSeconds(60), Start.AddSeconds(90)], closed.Select(w => w.End));
        Assert.All(closed, w => Assert.True(w.IsReading));
    }

    [Theory]
    // SpO2 values of 30 seconds: the median is the lower middle value, and the spread ignores the outer tenth each side.
    [InlineData(new[] { 95, 96, 97, 98 }, 96, null)]
    [InlineData(new[] { 94, 95, 96, 97, 98 }, 96, null)] // spread 4: the bound itself
    [InlineData(new[] { 93, 94, 95, 96, 97, 98 }, null, WindowOutcome.Spo2Unstable)]
    [InlineData(new[] { 97, 97, 97, 97, 97, 97, 97, 97, 97, 80 }, 97, null)] // one stray low value in ten is trimmed
    [InlineData(new[] { 97, 97, 97, 97, 80, 80, 80, 80, 80, 80 }, null, WindowOutcome.Spo2Unstable)]
    public void The_reading_is_the_median_of_a_stable_window(int[] cycle, int? spo2, string? rejection)
    {
        var samples = Enumerable.Range(0, 30).Select(i => new OximeterSample(cycle[i % cycle.Length], 72, OximeterFlags.None));

        var window = Assert.Single(Run(new StableWindowOptions(), samples));

        Assert.Equal(spo2, window.Spo2);
        Assert.Equal(rejection, window.Rejection);
        Assert.Equal(spo2 is null ? null : 72, window.PulseRate);
    }

    [Theory]
    [InlineData(new[] { 60, 70, 75 }, 70, null)]
    [InlineData(new[] { 60, 80 }, null, WindowOutcome.PulseUnstable)]
    public void An_unsteady_pulse_forms_no_reading(int[] cycle, int? pulse, string? rejection)
    {
        var samples = Enumerable.Range(0, 30).Select(i => new OximeterSample(97, cycle[i % cycle.Length], OximeterFlags.None));

        var window = Assert.Single(Run(new StableWindowOptions(), samples));

        Assert.Equal(pulse, window.PulseRate);
        Assert.Equal(rejection, window.Rejection);
    }

    [Theory]
    [InlineData(OximeterFlags.Artifact)]
    [InlineData(OximeterFlags.FingerOut)]
    [InlineData(OximeterFlags.ProbeError)]
    [InlineData(OximeterFlags.OutOfTrack)]
    [InlineData(OximeterFlags.LowPerfusion)]
    [InlineData(OximeterFlags.SensorAlarm)]
    [InlineData(OximeterFlags.Searching)]
    [InlineData(OximeterFlags.LowSignalQuality)]
    [InlineData(OximeterFlags.NoData)]
    public void Samples_with_a_problem_bit_do_not_count_even_with_plausible_values(OximeterFlags problem)
    {
        // 19 clean seconds are one short of the default 20; the 11 flagged ones carry a very different SpO2.
        var samples = Repeat(Clean, 19).Concat(Repeat(new OximeterSample(70, 140, problem), 11));

        var window = Assert.Single(Run(new StableWindowOptions(), samples));

        Assert.Equal(WindowOutcome.TooFewValidSamples, window.Rejection);
        Assert.Equal(19, window.ValidSamples);
        Assert.True(window.FlagsSeen.HasFlag(problem));
    }

    [Theory]
    [InlineData(OximeterFlags.MarginalPerfusion)]
    [InlineData(OximeterFlags.SmartPoint)]
    [InlineData(OximeterFlags.LowBattery)]
    public void Informational_bits_keep_a_sample_valid(OximeterFlags flag)
    {
        var window = Assert.Single(Run(new StableWindowOptions(), Repeat(new OximeterSample(95, 80, flag), 30)));

        Assert.Equal((95, 80), (window.Spo2, window.PulseRate));
        Assert.Equal(flag, window.FlagsSeen);
    }

    [Fact]
    public void Missing_values_do_not_count_and_too_many_of_them_void_the_window()
    {
        // 21 valid of 30 passes 20 samples and 70 %; 20 valid of 30 fails 70 %.
        var enough = Repeat(Clean, 21).Concat(Repeat(new OximeterSample(null, 72, OximeterFlags.None), 9));
        var tooFew = Repeat(Clean, 20).Concat(Repeat(new OximeterSample(97, null, OximeterFlags.None), 10));

        Assert.True(Assert.Single(Run(new StableWindowOptions(), enough)).IsReading);
        Assert.Equal(WindowOutcome.TooFewValidSamples, Assert.Single(Run(new StableWindowOptions { MinValidSamples = 5 }, tooFew)).Rejection);
    }

    [Fact]
    public void A_device_that_goes_quiet_still_closes_its_window_on_the_tick_with_what_it_sent()
    {
        var clock = new FakeTimeProvider(Start);
        var aggregator = new StableWindowAggregator(new StableWindowOptions { Window = TimeSpan.FromSeconds(2), MinValidSamples = 5 });
        for (var i = 0; i < 6; i++)
        {
            Assert.Null(aggregator.Add(Clean, clock.GetUtcNow()));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Null(aggregator.Tick(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMilliseconds(1399));
        Assert.Null(aggregator.Tick(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var window = aggregator.Tick(clock.GetUtcNow());

        Assert.NotNull(window);
        Assert.Equal((97, 72, 6), (window.Spo2, window.PulseRate, window.Samples));
        Assert.Equal(Start.AddSeconds(2), window.End);
        Assert.Null(aggregator.Tick(clock.GetUtcNow().AddHours(1)));
    }

    [Fact]
    public void The_sample_that_closes_a_window_opens_the_next()
    {
        var clock = new FakeTimeProvider(Start);
        var aggregator = new StableWindowAggregator(new StableWindowOptions { Window = TimeSpan.FromSeconds(1), MinValidSamples = 1 });
        aggregator.Add(new OximeterSample(90, 60, OximeterFlags.None), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(5));

        var first = aggregator.Add(new OximeterSample(99, 99, OximeterFlags.None), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = aggregator.Tick(clock.GetUtcNow());

        Assert.Equal((90, 60, Start.AddSeconds(1)), (first!.Spo2, first.PulseRate, first.End));
        Assert.Equal((99, 99, Start.AddSeconds(6)), (second!.Spo2, second.PulseRate, second.End));
    }

    [Theory]
    [InlineData(0.05, 20, 0.7, 4, 15, "--window")]
    [InlineData(30, 0, 0.7, 4, 15, "--min-samples")]
    [InlineData(30, 20, 0, 4, 15, "--min-valid-fraction")]
    [InlineData(30, 20, 1.5, 4, 15, "--min-valid-fraction")]
    [InlineData(30, 20, 0.7, -1, 15, "--max-spo2-spread")]
    [InlineData(30, 20, 0.7, 4, -1, "--max-pulse-spread")]
    public void Options_out_of_range_are_refused_naming_the_flag(double windowSeconds, int minSamples, double fraction, int spo2Spread, int pulseSpread, string flag)
    {
        var options = new StableWindowOptions
        {
            Window = TimeSpan.FromSeconds(windowSeconds),
            MinValidSamples = minSamples,
            MinValidFraction = fraction,
            MaxSpo2Spread = spo2Spread,
            MaxPulseSpread = pulseSpread,
        };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith(flag + " ", problem);
        Assert.Empty(new StableWindowOptions().Validate());
    }
}
