using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Rules;

/// <summary>Stable condition keys: one open alert per (patient, key). Stored, and filtered on by the dashboard.</summary>
public static class ConditionKeys
{
    public const string News2 = "news2";

    public static string Threshold(VitalKind kind) => $"threshold:{kind.WireName()}";

    public static string Event(TelecareEventType type) => $"event:{type.WireName()}";
}
