using Hl7.Fhir.Model;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Serialization;

namespace Telehealth.Fhir.Outbox;

/// <summary>Turns a mapped resource into an outbox item: its JSON, and the identifier its conditional update matches on.</summary>
public static class FhirOutboxItems
{
    public static FhirOutboxItem Create(string patientId, Resource resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrWhiteSpace(resource.Id))
        {
            throw new ArgumentException($"A {resource.TypeName} needs its deterministic id before it goes in the outbox.", nameof(resource));
        }
        var identifier = BusinessIdentifier(resource);
        return new FhirOutboxItem(patientId, resource.TypeName, resource.Id, identifier.System!, identifier.Value!, CompactFhirJson.Serialize(resource));
    }

    /// <summary>
    /// A person's readings as their Observations' outbox items, in <see cref="FhirMapper.ToObservations"/>'s order and
    /// with its text: a single vital reading is written straight to JSON (<see cref="VitalObservationJson"/>), anything
    /// else is mapped and serialized.
    /// </summary>
    public static IReadOnlyList<FhirOutboxItem> ForReadings(
        string patientId, IReadOnlyList<Reading> readings, Func<Reading, ThresholdSet> thresholdsAt, Func<string, DeviceType?>? sourceTypeOf = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(thresholdsAt);
        var groups = FhirMapper.Group(readings);
        var items = new List<FhirOutboxItem>(groups.Count);
        foreach (var group in groups)
        {
            if (group.Single is { } reading
                && VitalObservationJson.TryWrite(group.Id, reading, thresholdsAt(reading), sourceTypeOf?.Invoke(reading.DeviceId)) is { } json)
            {
                var identifier = FhirIdentifiers.Observation(reading);
                items.Add(new FhirOutboxItem(patientId, "Observation", group.Id, identifier.System!, identifier.Value!, json));
            }
            else
            {
                items.Add(Create(patientId, FhirMapper.ToObservation(group, thresholdsAt, sourceTypeOf)));
            }
        }
        return items;
    }

    /// <summary>
    /// The platform's own identifier (checked non-empty), not the NHS number: matching on the NHS number could merge
    /// our Patient into a record the server already holds for the person, which is a decision for a person to make.
    /// </summary>
    private static Identifier BusinessIdentifier(Resource resource)
    {
        var identifiers = resource switch
        {
            IIdentifiable<List<Identifier>> many => many.Identifier,
            IIdentifiable<Identifier> one when one.Identifier is not null => [one.Identifier],
            _ => [],
        };
        var usable = identifiers.Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)).ToList();
        return usable.FirstOrDefault(i => i.System != FhirSystems.NhsNumber)
            ?? usable.FirstOrDefault()
            ?? throw new ArgumentException(
                $"{resource.TypeName}/{resource.Id} has no identifier with system and value; a conditional update needs one.", nameof(resource));
    }
}
