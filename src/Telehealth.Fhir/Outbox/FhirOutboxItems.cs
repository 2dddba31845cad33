using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Telehealth.Fhir.Outbox;

/// <summary>Turns a mapped resource into an outbox item: its JSON, and the identifier its conditional update matches on.</summary>
public static class FhirOutboxItems
{
    /// <summary>Matching on the NHS number would merge records in a server that already knows the person; the platform's own identifier is exact.</summary>
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

    // Built once: the first serialization pays the model warm-up.
    private static readonly FhirJsonSerializer Serializer = new();

    public static FhirOutboxItem Create(string patientId, Resource resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrWhiteSpace(resource.Id))
        {
            throw new ArgumentException($"A {resource.TypeName} needs its deterministic id before it goes in the outbox.", nameof(resource));
        }
        var identifier = BusinessIdentifier(resource);
        return new FhirOutboxItem(patientId, resource.TypeName, resource.Id, identifier.System!, identifier.Value!, Serializer.SerializeToString(resource));
    }

    /// <summary>The identifier's system and value are checked non-empty here.</summary>
    private static Identifier BusinessIdentifier(Resource resource)
    {
        var identifiers = resource switch
        {
            IIdentifiable<List<Identifier>> many => many.Identifier,
            IIdentifiable<Identifier> one when one.Identifier is not null => [one.Identifier],
            _ => [],
        };
        var usable = identifiers.Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)).ToList();
        return usable.FirstOrDefault(i => i.System != NhsNumberSystem)
            ?? usable.FirstOrDefault()
            ?? throw new ArgumentException(
                $"{resource.TypeName}/{resource.Id} has no identifier with system and value; a conditional update needs one.", nameof(resource));
    }
}
