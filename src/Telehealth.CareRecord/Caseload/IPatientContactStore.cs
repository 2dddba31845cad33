namespace Telehealth.CareRecord.Caseload;

/// <summary>A person's phones and contacts (replaced whole on every change; who and when kept with it).</summary>
public interface IPatientContactStore
{
    /// <summary>The person's contacts, or <see cref="PatientContacts.None"/> when none were recorded.</summary>
    Task<PatientContacts> GetAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>Contacts of many people at once (the worklist), keyed by patient id; people without any are left out.</summary>
    Task<IReadOnlyDictionary<string, PatientContacts>> GetManyAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken = default);

    Task SetAsync(string patientId, PatientContacts contacts, string by, DateTimeOffset at, CancellationToken cancellationToken = default);
}
