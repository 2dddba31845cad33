using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Gateway.Serial.Aggregation;

/// <summary>
/// Turns per-second samples into at most one reading per window: a window opens at the first sample after the last
/// one closed and closes <see cref="StableWindowOptions.Window"/> later (on the next sample or a <see cref="Tick"/>).
/// It forms a reading when enough samples are valid and the valid ones agree (10th–90th percentile spread within the
/// bounds); the reading is the median of each value (the lower middle for an even count, so always a value the
/// device sent) at the window's end. A flood of per-second values never leaves the bridge. Pure: time is passed in.
/// </summary>
public sealed class StableWindowAggregator(StableWindowOptions options)
{
    private readonly List<OximeterSample> _samples = [];
    private DateTimeOffset? _start;
    private OximeterFlags _flagsSeen;

    public StableWindowOptions Options { get; } = options;

    /// <summary>Adds a sample taken at <paramref name="at"/>; returns the window it closed, if any.</summary>
    public WindowOutcome? Add(OximeterSample sample, DateTimeOffset at)
    {
        var closed = Tick(at);
        _start ??= at;
        _samples.Add(sample);
        _flagsSeen |= sample.Flags;
        return closed;
    }

    /// <summary>Closes the open window when its end has passed (call it on a timer: a silent device still ends its window).</summary>
    public WindowOutcome? Tick(DateTimeOffset now)
    {
        if (_start is not { } start || now < start + Options.Window)
        {
            return null;
        }
        var outcome = Close(start, start + Options.Window);
        _samples.Clear();
        _start = null;
        _flagsSeen = OximeterFlags.None;
        return outcome;
    }

    private WindowOutcome Close(DateTimeOffset start, DateTimeOffset end)
    {
        var spo2 = new List<int>(_samples.Count);
        var pulse = new List<int>(_samples.Count);
        foreach (var sample in _samples)
        {
            if (sample.IsValid)
            {
                spo2.Add(sample.Spo2!.Value);
                pulse.Add(sample.PulseRate!.Value);
            }
        }
        var valid = spo2.Count;
        string? rejection = null;
        if (valid < Options.MinValidSamples || valid < Options.MinValidFraction * _samples.Count)
        {
            rejection = WindowOutcome.TooFewValidSamples;
        }
        else
        {
            spo2.Sort();
            pulse.Sort();
            if (Spread(spo2) > Options.MaxSpo2Spread)
            {
                rejection = WindowOutcome.Spo2Unstable;
            }
            else if (Spread(pulse) > Options.MaxPulseSpread)
            {
                rejection = WindowOutcome.PulseUnstable;
            }
        }
        return rejection is null
            ? new WindowOutcome(start, end, _samples.Count, valid, _flagsSeen, LowerMedian(spo2), LowerMedian(pulse), null)
            : new WindowOutcome(start, end, _samples.Count, valid, _flagsSeen, null, null, rejection);
    }

    /// <summary>Range of the sorted values after dropping the lowest and highest tenth, so one stray sample does not void a window.</summary>
    private static int Spread(List<int> sorted)
    {
        var trim = sorted.Count / 10;
        return sorted[sorted.Count - 1 - trim] - sorted[trim];
    }

    private static int LowerMedian(List<int> sorted) => sorted[(sorted.Count - 1) / 2];
}
