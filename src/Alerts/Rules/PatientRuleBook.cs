using Telehealth.Alerts.Engine;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.Evaluation.Telecare;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;

namespace Telehealth.Alerts.Rules;

/// <summary>
/// The rules that watch one patient, built fresh for each evaluation from what is in force now: a threshold rule per
/// vital with the person's bands, the configured duration rules, NEWS2 with the person's care settings, a rule per
/// telecare event type, and silence and battery rules for every device that has reported its status (they exist
/// because the device was heard, so they are rebuilt from their stored state), and what the person's monitoring plan
/// expects: readings due by a time, movement within a window, a staff-set heartbeat per device (whose silence rule
/// then exists from the plan's start even if the device was never heard). Each rule's state is kept under its key;
/// the book never holds state itself.
/// </summary>
public sealed class PatientRuleBook
{
    private readonly Dictionary<string, IAlertRule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceRef> _devices = new(StringComparer.Ordinal);
    private readonly AlertOptions _options;
    private readonly Dictionary<string, TimeSpan> _staffIntervals = new(StringComparer.Ordinal);

    /// <param name="timeline">The person's thresholds over time: each reading is judged by those in force at its device time.</param>
    /// <param name="plan">What staff expect to hear for the person; null when nothing is planned.</param>
    public PatientRuleBook(ThresholdSet thresholds, News2CareSettings care, AlertOptions options, IEnumerable<StoredRuleState> stored,
        ThresholdTimeline? timeline = null, MonitoringPlan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(care);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stored);
        _options = options;
        foreach (var threshold in thresholds.All)
        {
            var tuning = VitalAlertTuning.Defaults.GetValueOrDefault(threshold.Kind) ?? new VitalAlertTuning(threshold.Kind, 0, TimeSpan.Zero, 1);
            var kind = threshold.Kind;
            Func<DateTimeOffset, (VitalThreshold Threshold, bool Personal)?>? inForceAt = timeline is null
                ? null
                : at => timeline.At(at) is var set && set.For(kind) is { } then ? (then, set.IsPersonal(kind)) : null;
            Add(new ThresholdAlertRule(threshold, tuning, thresholds.IsPersonal(kind), inForceAt));
        }
        foreach (var duration in options.Durations)
        {
            Add(new DurationAlertRule(duration.ToCondition()));
        }
        Add(new News2AlertRule(care, options.News2Window));
        foreach (var type in TelecareEventTypes.All)
        {
            Add(new TelecareEventAlertRule(type));
        }
        if (plan is not null)
        {
            var zone = plan.TimeZone;
            foreach (var expected in plan.ScheduledReadings)
            {
                var device = new DeviceRef(expected.DeviceId, expected.DeviceType);
                var window = new DailyWindow(expected.Opens, TimeOnly.FromTimeSpan(expected.DueBy.ToTimeSpan() + expected.Grace), zone);
                Add(new ScheduledReadingRule(expected.Kind, device, expected.Opens, expected.DueBy, expected.Grace, zone,
                    window.FirstWholeWindowFrom(expected.Since)), device);
            }
            foreach (var window in plan.ActivityWindows)
            {
                var sensor = new DeviceRef(window.DeviceId, window.DeviceType);
                var daily = new DailyWindow(window.Opens, window.Closes, zone);
                Add(new InactivityRule(sensor, window.Opens, window.Closes, zone, daily.FirstWholeWindowFrom(window.Since)), sensor);
            }
            foreach (var heartbeat in plan.Heartbeats)
            {
                _staffIntervals[heartbeat.DeviceId] = heartbeat.Interval;
            }
        }
        // Devices heard before (their silence and battery rules have state); plan rules keep state too, but watching a
        // device's silence starts with hearing it or with a staff-set heartbeat, not with a scheduled reading.
        foreach (var state in stored.Where(state => state.Device is not null
            && (state.RuleKey.StartsWith("silence:", StringComparison.Ordinal) || state.RuleKey.StartsWith("battery:", StringComparison.Ordinal))))
        {
            AddDevice(state.Device!, state.Since);
        }
        if (plan is not null)
        {
            // A device staff expect to hear from is watched from the plan's start, heard or not.
            foreach (var heartbeat in plan.Heartbeats)
            {
                AddDevice(new DeviceRef(heartbeat.DeviceId, heartbeat.DeviceType), heartbeat.Since);
            }
        }
    }

    /// <summary>Every rule, in a fixed order (the order they were added).</summary>
    public IEnumerable<IAlertRule> All => _rules.Values;

    // Made once per change of the rules rather than once per input: every input goes to every rule.
    private IAlertRule[]? _snapshot;

    /// <summary>
    /// Every rule as the book stands now, in the order of <see cref="All"/>: a copy, so a rule added while an input
    /// goes round (a device heard for the first time) does not change the round.
    /// </summary>
    public IReadOnlyList<IAlertRule> Rules => _snapshot ??= [.. _rules.Values];

    public IAlertRule? Find(string key) => _rules.GetValueOrDefault(key);

    /// <summary>The device a device rule watches; null for the patient's other rules.</summary>
    public DeviceRef? DeviceOf(string key) => _devices.GetValueOrDefault(key);

    /// <summary>Starts watching a device heard for the first time (its silence and its battery).</summary>
    public void AddDevice(DeviceRef device, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(device);
        var silence = new DeviceSilenceRule(device, since, _staffIntervals.TryGetValue(device.DeviceId, out var interval) ? interval : null);
        if (_rules.ContainsKey(silence.Key))
        {
            return;
        }
        var battery = new BatteryDepletionRule(device, _options.BatteryLowPercent, _options.BatteryWarnAhead);
        Add(silence);
        Add(battery);
        _devices[silence.Key] = device;
        _devices[battery.Key] = device;
    }

    private void Add(IAlertRule rule, DeviceRef? device = null)
    {
        _rules[rule.Key] = rule;
        _snapshot = null;
        if (device is not null)
        {
            _devices[rule.Key] = device;
        }
    }
}
