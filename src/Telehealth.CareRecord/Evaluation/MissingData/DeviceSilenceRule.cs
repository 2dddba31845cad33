using System.Globalization;
using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>
/// Device silence: nothing heard from a device for <see cref="MissedIntervals"/> heartbeat intervals. The
/// interval is the one staff set, else the one the device declares in its status (<c>interval</c>, seconds), as
/// social-alarm protocols (BS 8521-2, SCAIP) treat a missed periodic check-in as a fault. Three intervals
/// tolerate a single lost heartbeat without a false alarm. Clears by itself as soon as the device is heard again.
/// Without any interval nothing is expected, so the answer is Unknown.
/// </summary>
/// <param name="watchingSince">When the device was assigned: a device never heard is silent from then.</param>
public sealed class DeviceSilenceRule(
    DeviceRef device,
    DateTimeOffset watchingSince,
    TimeSpan? staffInterval = null,
    AlertSeverity? severity = null) : AlertRule<DeviceSilenceState>
{
    public const int MissedIntervals = 3;

    /// <summary>Devices that are the person's way to call for help or be found: silence weakens the safety net.</summary>
    private static readonly HashSet<string> SafetyNetTypes =
        ["pendant_alarm", "fall_detector", "telecare_hub", "smoke_detector", "inactivity_sensor", "bed_sensor", "door_sensor"];

    public override string Key { get; } = $"silence:{device.DeviceId}";

    protected override DeviceSilenceState Initial { get; } = new();

    /// <summary>High for safety-net devices (the person may be unable to raise an alarm), Medium for measuring devices.</summary>
    public static AlertSeverity DefaultSeverity(string deviceType) =>
        SafetyNetTypes.Contains(deviceType) ? AlertSeverity.High : AlertSeverity.Medium;

    protected override (RuleVerdict, RuleFinding?, DeviceSilenceState, DateTimeOffset?) Decide(RuleInput input, DeviceSilenceState state)
    {
        if (input.Observation is { } observation)
        {
            if (observation.DeviceId != device.DeviceId)
            {
                return (RuleVerdict.Unknown, null, state, Deadline(state));
            }
            var heard = state.LastHeardAt is { } last && last > observation.At ? last : observation.At;
            state = state with
            {
                LastHeardAt = heard,
                DeclaredInterval = observation is DeviceHeard { DeclaredInterval: { } declared } && declared > TimeSpan.Zero
                    ? declared
                    : state.DeclaredInterval,
            };
        }
        return Judge(input.Now, state);
    }

    private DateTimeOffset? Deadline(DeviceSilenceState state) =>
        (staffInterval ?? state.DeclaredInterval) is { } interval ? (state.LastHeardAt ?? watchingSince) + interval * MissedIntervals : null;

    private (RuleVerdict, RuleFinding?, DeviceSilenceState, DateTimeOffset?) Judge(DateTimeOffset now, DeviceSilenceState state)
    {
        if ((staffInterval ?? state.DeclaredInterval) is not { } interval)
        {
            return (RuleVerdict.Unknown, null, state, null);
        }
        var since = state.LastHeardAt ?? watchingSince;
        var deadline = since + interval * MissedIntervals;
        if (now < deadline)
        {
            return (RuleVerdict.False, null, state, deadline);
        }
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"Nothing heard from {device.DeviceType} {device.DeviceId} since {since:yyyy-MM-dd HH:mm} UTC (expected every {interval.TotalMinutes:0.#} min)");
        var finding = new RuleFinding(Key, severity ?? DefaultSeverity(device.DeviceType), MissingDataCodes.DeviceSilent, reason,
            Instantaneous: false, deadline, device, SelfClearing: true);
        return (RuleVerdict.True, finding, state, null);
    }
}
