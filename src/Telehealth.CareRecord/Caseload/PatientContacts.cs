using Telehealth.Contracts;

namespace Telehealth.CareRecord.Caseload;

/// <summary>
/// How to reach a person and the people around them, for telephone follow-up. Validation names every problem;
/// a phone number is kept as entered (trimmed) once it looks dialable, because staff read it out and dial it.
/// </summary>
public sealed record PatientContacts(IReadOnlyList<PatientPhone> Phones, IReadOnlyList<PatientContact> Contacts)
{
    public const int MaxPhones = 5;

    public const int MaxContacts = 10;

    public const int MaxNameLength = 100;

    public static PatientContacts None { get; } = new([], []);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Phones.Count > MaxPhones)
        {
            problems.Add($"phones: at most {MaxPhones}.");
        }
        if (Contacts.Count > MaxContacts)
        {
            problems.Add($"contacts: at most {MaxContacts}.");
        }
        for (var i = 0; i < Phones.Count; i++)
        {
            if (PhoneProblem(Phones[i].Number) is { } problem)
            {
                problems.Add($"phones[{i}]: {problem}");
            }
        }
        for (var i = 0; i < Contacts.Count; i++)
        {
            var contact = Contacts[i];
            if (string.IsNullOrWhiteSpace(contact.Name) || contact.Name.Length > MaxNameLength)
            {
                problems.Add($"contacts[{i}]: name is required, at most {MaxNameLength} characters.");
            }
            if (PhoneProblem(contact.Phone) is { } problem)
            {
                problems.Add($"contacts[{i}]: {problem}");
            }
        }
        return problems;
    }

    /// <summary>Digits with optional leading +, spaces, hyphens and brackets; 7 to 15 digits (E.164 allows 15).</summary>
    public static string? PhoneProblem(string? number)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return "phone is required.";
        }
        var trimmed = number.Trim();
        var digits = trimmed.Count(char.IsAsciiDigit);
        var allowed = trimmed.Select((c, i) => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' || (c == '+' && i == 0)).All(ok => ok);
        return !allowed || digits is < 7 or > 15
            ? $"phone '{(trimmed.Length > 30 ? trimmed[..30] + "…" : trimmed)}' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed)."
            : null;
    }

    public static string RelationshipName(ContactRelationship relationship) => WireNames.Of(relationship);
}
