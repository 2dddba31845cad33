using System.Globalization;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>
/// A scheduled reading that did not arrive: "no blood pressure by 11:00" (plus a grace window). The reading
/// counts from <paramref name="opens"/> (local) that day; it is missing from the due time plus grace until one
/// arrives. Default severity Medium: a missed reading is a gap in monitoring, not itself a deterioration.
/// </summary>
public sealed class ScheduledReadingRule(
    VitalKind kind,
    DeviceRef device,
    TimeOnly opens,
    TimeOnly dueBy,
    TimeSpan grace,
    TimeZoneInfo zone,
    DateTimeOffset watchingSince,
    AlertSeverity severity = AlertSeverity.Medium)
    : ExpectedInWindowRule(new DailyWindow(opens, TimeOnly.FromTimeSpan(dueBy.ToTimeSpan() + grace), zone), watchingSince)
{
    public override string Key { get; } = string.Create(CultureInfo.InvariantCulture, $"schedule:{kind.WireName()}:{dueBy:HHmm}");

    protected override bool IsExpected(Observation observation) =>
        observation is ReadingObserved { Reading.Kind: var k } && k == kind;

    protected override RuleFinding Missing(DateTimeOffset windowOpened, DateTimeOffset windowClosed)
    {
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"No {VitalLabels.Name(kind)} reading by {dueBy:HH:mm} ({zone.Id}) from {device.DeviceType} {device.DeviceId}");
        return new RuleFinding(Key, severity, MissingDataCodes.ReadingNotReceived, reason, Instantaneous: false, windowClosed, device, SelfClearing: true);
    }
}
