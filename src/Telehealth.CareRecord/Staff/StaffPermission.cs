namespace Telehealth.CareRecord.Staff;

/// <summary>One kind of thing staff do through the API; every endpoint names the one it needs.</summary>
public enum StaffPermission
{
    /// <summary>Read the team's people, readings, alerts, devices and FHIR resources (and receive live alerts).</summary>
    ViewCaseload,

    /// <summary>Add people to a caseload and edit their details.</summary>
    RegisterPatients,

    /// <summary>Edit a person's phone numbers and contacts (carer, next of kin, key worker).</summary>
    EditContacts,

    /// <summary>Change thresholds, care settings (NEWS2 scale, oxygen), rules, and goals and care plans.</summary>
    ChangeClinicalSettings,

    /// <summary>Record a clinical observation such as an ACVPU assessment.</summary>
    RecordObservations,

    /// <summary>Acknowledge, assign, follow up, snooze and resolve alerts, and record calls.</summary>
    WorkAlerts,

    /// <summary>Register, assign, retrieve, revoke devices and rotate their secrets.</summary>
    ManageDevices,

    /// <summary>List staff (admins: everyone; team leads: their own team).</summary>
    ViewStaff,

    /// <summary>Create staff accounts and disable them.</summary>
    ManageStaff,

    /// <summary>Create teams.</summary>
    ManageTeams,

    /// <summary>List teams (id and name).</summary>
    ViewTeams,

    /// <summary>Read the audit log of views and changes of people's records.</summary>
    ReadAudit,

    /// <summary>Set a team's duty rota.</summary>
    ManageRota,

    /// <summary>Read the team's service figures (alerts, response times, adherence, uptime) for a period.</summary>
    ReadServiceFigures,

    /// <summary>Security and integration records: failed sign-ins, unattributed device refusals, the FHIR outbox.</summary>
    ViewOperations,

    /// <summary>List the active members of one's own team (username and role), to hand an alert to one of them.</summary>
    ViewColleagues,
}
