using System.Collections.Frozen;

namespace Telehealth.CareRecord.FollowUp;

/// <summary>Wire names of <see cref="CallAction"/>, fixed (the digits in 111 and 999 keep their own word).</summary>
public static class CallActions
{
    private static readonly FrozenDictionary<CallAction, string> Names = new Dictionary<CallAction, string>
    {
        [CallAction.AdviceGiven] = "advice_given",
        [CallAction.RepeatReadingRequested] = "repeat_reading_requested",
        [CallAction.GpInformed] = "gp_informed",
        [CallAction.VisitArranged] = "visit_arranged",
        [CallAction.Advised111] = "advised_111",
        [CallAction.Advised999] = "advised_999",
        [CallAction.AmbulanceCalled] = "ambulance_called",
    }.ToFrozenDictionary();

    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<CallAction>().Select(Of)];

    public static string Of(CallAction action) => Names[action];

    public static bool TryParse(string? name, out CallAction action)
    {
        foreach (var (candidate, wire) in Names)
        {
            if (wire == name)
            {
                action = candidate;
                return true;
            }
        }
        action = default;
        return false;
    }
}
