namespace Telehealth.Clinician.Web.Audit;

/// <summary>Where an audited endpoint names the person whose record it shows or changes.</summary>
public enum AuditSubject
{
    /// <summary>A route value is the patient id (<c>/api/patients/{id}/…</c>).</summary>
    PatientRoute,

    /// <summary>A query value is the patient id (<c>?patientId=</c>); nothing is recorded without it.</summary>
    PatientQuery,

    /// <summary>A route value is an alert id; the person is the alert's.</summary>
    AlertRoute,

    /// <summary>A route value is a device id; the person is the one the device is attributed to.</summary>
    DeviceRoute,

    /// <summary>The person was just created: the id is the last segment of the response's Location.</summary>
    CreatedPatient,

    /// <summary>A device was just registered: its id is the last segment of the response's Location.</summary>
    CreatedDevice,

    /// <summary>A FHIR read of <c>Patient/{id}</c>, or a FHIR search with <c>patient=</c>.</summary>
    Fhir,
}
