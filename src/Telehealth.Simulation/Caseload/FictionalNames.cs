namespace Telehealth.Simulation.Caseload;

/// <summary>
/// Name parts for simulated patients. First names are common for people now in their seventies and eighties; the
/// surnames are invented, so no generated name belongs to a real person on a real caseload.
/// </summary>
internal static class FictionalNames
{
    public static readonly string[] FirstNames =
    [
        "Margaret", "Arthur", "Joan", "Dennis", "Patricia", "Kenneth", "Eileen", "Raymond",
        "Sheila", "Derek", "Maureen", "Brian", "Irene", "Colin", "Doreen", "Geoffrey",
    ];

    public static readonly string[] Surnames =
    [
        "Quillfield", "Marrowby", "Thistlecombe", "Pennyfold", "Larkhollow", "Bramblewick",
        "Fernsby-Lowe", "Mossgrove", "Willowmere", "Hazelcott", "Kettlemoor", "Oakhollin",
    ];
}
