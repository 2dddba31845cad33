namespace Telehealth.Gateway.Decoding;

/// <summary>The fields of one SenML record as sent, before base values are applied.</summary>
internal sealed class SenmlRecord
{
    public SenmlRecordFields Present { get; set; }

    public string? BaseName { get; set; }
    public double? BaseTime { get; set; }
    public string? BaseUnit { get; set; }
    public double? BaseValue { get; set; }

    public string? Name { get; set; }
    public string? Unit { get; set; }
    public double? Value { get; set; }

    /// <summary>The record's own 'vs' when it is a JSON string (used by coded records such as consciousness).</summary>
    public string? StringValue { get; set; }
    public double? Time { get; set; }

    /// <summary>Why the record's own numeric value is unusable ('v' a string, NaN, overflowing), when it is.</summary>
    public string? ValueProblem { get; set; }

    /// <summary>The first structural fault of the record's own fields (a repeated field, a name that is not a string...).</summary>
    public string? StructureProblem { get; set; }

    /// <summary>
    /// A record holding only base fields, e.g. [{"bn":"urn:dev:mac:0024befffe804ff1:","bt":1795000000}, {...}]. Many device
    /// libraries emit one; it carries context for the records after it, not a measurement, so it is neither accepted nor refused.
    /// </summary>
    public bool IsBaseOnly =>
        (Present & SenmlRecordFields.Base) != SenmlRecordFields.None
        && (Present & ~SenmlRecordFields.Base) == SenmlRecordFields.None
        && StructureProblem is null;

    public void NoteStructureProblem(string problem) => StructureProblem ??= problem;
}
