namespace Telehealth.Contracts.Evaluation;

/// <summary>What kind of stored data a due evaluation is about.</summary>
public enum DueItemKind
{
    Reading,
    TelecareEvent,
}
