using Hl7.Fhir.Model;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>Registered home devices, visible when assigned to a patient of the caller's team; <c>date</c> order is by registration.</summary>
public sealed class DeviceSource(FhirMapper mapper, IDeviceRegistry devices) : IFhirResourceSource
{
    public ResourceType ResourceType => ResourceType.Device;

    public bool SupportsDateSort => false;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient the device is assigned to; without it, every device of the caller's team.", "http://hl7.org/fhir/SearchParameter/Device-patient"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        await devices.GetAsync(id, cancellationToken) is { } device && await caller.CanSeeAsync(device.PatientId, cancellationToken)
            ? mapper.ToDevice(device)
            : null;

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var patientId = SearchValues.PatientId(request);
        if (patientId is not null && !await caller.CanSeeAsync(patientId, cancellationToken))
        {
            return SearchPage.Empty;
        }
        var visible = patientId is null
            ? await devices.ListForTeamAsync(caller.TeamId, cancellationToken)
            : await devices.ListAsync(patientId, cancellationToken);
        var ordered = visible.OrderBy(d => d.RegisteredAt).ThenBy(d => d.DeviceId, StringComparer.Ordinal).Select(d => (Resource)mapper.ToDevice(d)).ToList();
        return SearchPage.Of(ordered, request);
    }
}
