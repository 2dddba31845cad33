namespace Telehealth.CareRecord.News2;

/// <summary>NEWS2 clinical risk (RCP 2017 chart 2).</summary>
public enum News2Risk
{
    /// <summary>Aggregate 0–4 with no single parameter scoring 3.</summary>
    Low,

    /// <summary>A single parameter scoring 3 with an aggregate below 5: urgent ward-based response.</summary>
    LowMedium,

    /// <summary>Aggregate 5–6: key threshold for an urgent response.</summary>
    Medium,

    /// <summary>Aggregate 7 or more: emergency response.</summary>
    High,
}
