using System.Globalization;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Events;

namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>
/// No movement within an expected daily window (e.g. up and about between 07:00 and 10:00): it may be a fall
/// nobody saw, so High, like the telecare <c>inactivity</c> event. Movement, a telecare event a person causes
/// (a press, a door, a bed) and any reading (someone measured something) count as activity; events a device
/// raises by itself (low battery, tamper, power failure, its own inactivity alarm) do not.
/// </summary>
public sealed class InactivityRule(
    DeviceRef sensor,
    TimeOnly opens,
    TimeOnly closes,
    TimeZoneInfo zone,
    DateTimeOffset watchingSince,
    AlertSeverity severity = AlertSeverity.High)
    : ExpectedInWindowRule(new DailyWindow(opens, closes, zone), watchingSince)
{
    public override string Key { get; } = string.Create(CultureInfo.InvariantCulture, $"inactivity:{opens:HHmm}-{closes:HHmm}");

    protected override bool IsExpected(Observation observation) => observation switch
    {
        ActivityObserved or ReadingObserved => true,
        EventObserved { Event.Type: var type } => type is not (TelecareEventType.LowBattery or TelecareEventType.Tamper
            or TelecareEventType.PowerFail or TelecareEventType.Inactivity),
        _ => false,
    };

    protected override RuleFinding Missing(DateTimeOffset windowOpened, DateTimeOffset windowClosed)
    {
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"No movement seen between {opens:HH:mm} and {closes:HH:mm} ({zone.Id}); activity sensor {sensor.DeviceType} {sensor.DeviceId}");
        return new RuleFinding(Key, severity, MissingDataCodes.NoActivity, reason, Instantaneous: false, windowClosed, sensor, SelfClearing: true);
    }
}
