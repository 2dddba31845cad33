using Hl7.Fhir.Model;
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
