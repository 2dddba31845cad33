using Hl7.Fhir.Model;
using Telehealth.Fhir.Server.Resources;

namespace Telehealth.Fhir.Server;

/// <summary>What /fhir/metadata answers: an active instance CapabilityStatement for FHIR 4.0.1 JSON, built from the served sources.</summary>
public static class CapabilityStatements
{
    public static CapabilityStatement Build(string baseUrl, IEnumerable<IFhirResourceSource> sources, DateTimeOffset startedAt)
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Remote-monitoring data of the caller's team: vital signs, NEWS2 scores, red flags and follow-up calls. " +
                "Search results are paged (_count, default 50, at most 500; follow the next link).",
            Security = new CapabilityStatement.SecurityComponent
            {
                Description = "Staff bearer token (POST /api/auth/token) in the Authorization header. " +
                    "Only patients of the caller's team are visible; others are answered as not found.",
            },
        };
        foreach (var source in sources.OrderBy(s => s.ResourceType.ToString(), StringComparer.Ordinal))
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = source.ResourceType.ToString(),
                Interaction =
                [
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
                ],
            };
            foreach (var parameter in source.SearchParameters)
            {
                resource.SearchParam.Add(new CapabilityStatement.SearchParamComponent
                {
                    Name = parameter.Name,
                    Type = parameter.Type,
                    Definition = parameter.Definition,
                    Documentation = parameter.Documentation,
                });
            }
            if (source.SupportsDateSort)
            {
                resource.Documentation = "_sort=date (oldest first) or -date (newest first, the default).";
            }
            rest.Resource.Add(resource);
        }
        return new CapabilityStatement
        {
            Id = "telehealth",
            Url = $"{baseUrl}/metadata",
            Name = "TelehealthRemoteMonitoring",
            Title = "Telehealth remote-monitoring FHIR endpoint",
            Status = PublicationStatus.Active,
            Date = startedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "Telehealth platform" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "Telehealth remote monitoring", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            Rest = [rest],
        };
    }
}
