namespace Telehealth.CareRecord.CarePlans;

/// <summary>One thing the care plan says is done, how often, and by whom: "blood pressure", "every morning", "the person".</summary>
/// <param name="Performer">Who does it, in words ("the person", "carer", "physiotherapist"): care teams name roles, not accounts.</param>
public sealed record CareActivity(string Description, string Schedule, string Performer);
