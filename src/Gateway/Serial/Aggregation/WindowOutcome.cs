using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Gateway.Serial.Aggregation;

/// <summary>
/// A closed window: a reading (<see cref="Spo2"/> and <see cref="PulseRate"/> set, <see cref="Rejection"/> null) or
/// the reason it formed none. <see cref="FlagsSeen"/> is every status bit of its samples, for device events.
/// </summary>
public sealed record WindowOutcome(
    DateTimeOffset Start,
    DateTimeOffset End,
    int Samples,
    int ValidSamples,
    OximeterFlags FlagsSeen,
    int? Spo2,
    int? PulseRate,
    string? Rejection)
{
    public const string TooFewValidSamples = "too_few_valid_samples";
    public const string Spo2Unstable = "spo2_unstable";
    public const string PulseUnstable = "pulse_unstable";

    public bool IsReading => Rejection is null;
}
