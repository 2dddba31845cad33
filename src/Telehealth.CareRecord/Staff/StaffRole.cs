namespace Telehealth.CareRecord.Staff;

/// <summary>What a member of staff is there to do; the wire names are fixed (outside scripts create staff with them).</summary>
public enum StaffRole
{
    /// <summary>Nurses and therapists: the only role that changes thresholds, care settings and rules.</summary>
    Clinician,

    /// <summary>Call-back staff: work alerts and record calls, never change clinical settings.</summary>
    TelephoneSupport,

    /// <summary>Runs a team: reads its audit and staff, manages its duty rota, and works alerts.</summary>
    TeamLead,

    /// <summary>Manages staff, teams and devices.</summary>
    Admin,
}
