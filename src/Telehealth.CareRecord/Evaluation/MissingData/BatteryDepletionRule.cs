using System.Globalization;
using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>
/// A battery low enough that the device will stop soon: the level is at or below <paramref name="lowPercent"/>,
/// or the discharge since the last charge, extrapolated, reaches empty within <paramref name="warnAhead"/>. It
/// is a red flag about missing data to come, so it names the device. Low severity (as the <c>low_battery</c>
/// event), Medium at or below <see cref="CriticalPercent"/>. Clears only when the level is back at or above
/// <paramref name="lowPercent"/> + <see cref="ClearMargin"/> (charged or replaced), so a level bouncing around
/// the threshold, as cells do with temperature, does not flap.
/// </summary>
public sealed class BatteryDepletionRule(DeviceRef device, int lowPercent = 20, TimeSpan? warnAhead = null) : AlertRule<BatteryState>
{
    public const int CriticalPercent = 5;
    public const int ClearMargin = 10;

    private readonly TimeSpan _warnAhead = warnAhead ?? TimeSpan.FromHours(48);

    public override string Key { get; } = $"battery:{device.DeviceId}";

    protected override BatteryState Initial { get; } = new();

    protected override (RuleVerdict, RuleFinding?, BatteryState, DateTimeOffset?) Decide(RuleInput input, BatteryState state)
    {
        if (input.Observation is DeviceHeard { BatteryPercent: { } percent } heard && heard.Device.DeviceId == device.DeviceId)
        {
            if (state.LatestAt is { } latest && heard.At < latest)
            {
                return (RuleVerdict.Unknown, null, state, EmptyWarningAt(state));
            }
            var charged = state.LatestPercent is not { } previous || percent > previous;
            state = state with
            {
                DischargeFromAt = charged ? heard.At : state.DischargeFromAt,
                DischargeFromPercent = charged ? percent : state.DischargeFromPercent,
                LatestAt = heard.At,
                LatestPercent = percent,
            };
        }
        else if (input.Observation is not null)
        {
            return (RuleVerdict.Unknown, null, state, EmptyWarningAt(state));
        }
        if (state.LatestPercent is not { } level)
        {
            return (RuleVerdict.Unknown, null, state, null);
        }

        var warnAt = EmptyWarningAt(state);
        var projectedSoon = warnAt is { } w && input.Now >= w;
        if (level <= lowPercent || projectedSoon || (state.Low && level < lowPercent + ClearMargin))
        {
            state = state with { Low = true };
            var emptyAt = EmptyAt(state);
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Battery of {device.DeviceType} {device.DeviceId} at {level} %{(emptyAt is { } e ? $", expected to run out about {e:yyyy-MM-dd HH:mm} UTC" : string.Empty)}");
            var finding = new RuleFinding(Key, level <= CriticalPercent ? AlertSeverity.Medium : AlertSeverity.Low,
                MissingDataCodes.BatteryLow, reason, Instantaneous: false, state.LatestAt!.Value, device, Measure: lowPercent - level, SelfClearing: true);
            return (RuleVerdict.True, finding, state, null);
        }
        return (RuleVerdict.False, null, state with { Low = false }, warnAt);
    }

    /// <summary>Straight-line extrapolation of the discharge since the last charge; null while not discharging.</summary>
    private static DateTimeOffset? EmptyAt(BatteryState state)
    {
        if (state is not { DischargeFromAt: { } from, DischargeFromPercent: { } fromPercent, LatestAt: { } at, LatestPercent: { } percent }
            || percent >= fromPercent || at <= from)
        {
            return null;
        }
        var perHour = (fromPercent - percent) / (at - from).TotalHours;
        return at + TimeSpan.FromHours(percent / perHour);
    }

    private DateTimeOffset? EmptyWarningAt(BatteryState state) => EmptyAt(state) is { } empty ? empty - _warnAhead : null;
}
