using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>Calls the /fhir endpoint and parses answers with the Firely SDK (strict), as an external FHIR client would.</summary>
internal static class ServerFhirClient
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    public static async Task<(HttpStatusCode Status, Resource Resource, string? MediaType)> GetFhirAsync(
        this HttpClient client, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, Parse(body), response.Content.Headers.ContentType?.MediaType);
    }

    public static async Task<T> GetOkAsync<T>(this HttpClient client, string path) where T : Resource
    {
        var (status, resource, _) = await client.GetFhirAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {Describe(resource)}");
        return Assert.IsType<T>(resource);
    }

    public static async Task<OperationOutcome> GetOutcomeAsync(this HttpClient client, string path, HttpStatusCode expected, Action<HttpRequestMessage>? configure = null)
    {
        var (status, resource, mediaType) = await client.GetFhirAsync(path, configure);
        Assert.Equal(expected, status);
        Assert.Equal("application/fhir+json", mediaType);
        return Assert.IsType<OperationOutcome>(resource);
    }

    public static Resource Parse(string json) => Deserializer.DeserializeResource(json);

    /// <summary>Every resource of a search, following next links from the first page; also returns the pages seen.</summary>
    public static async Task<(List<Resource> Resources, List<Bundle> Pages)> SearchAllAsync(this HttpClient client, string path)
    {
        var resources = new List<Resource>();
        var pages = new List<Bundle>();
        string? next = path;
        while (next is not null)
        {
            var page = await client.GetOkAsync<Bundle>(next);
            pages.Add(page);
            resources.AddRange(page.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource!));
            next = page.Link.SingleOrDefault(l => l.Relation == "next")?.Url;
            Assert.True(pages.Count <= 100, "next links do not end");
        }
        return (resources, pages);
    }

    public static IReadOnlyList<T> Matches<T>(this Bundle bundle) where T : Resource =>
        bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => Assert.IsType<T>(e.Resource)).ToList();

    public static string Serialize(Resource resource) => new BaseFhirJsonSerializer(ModelInfo.ModelInspector).SerializeToString(resource);

    private static string Describe(Resource resource) =>
        resource is OperationOutcome outcome ? string.Join("; ", outcome.Issue.Select(i => $"{i.Code}: {i.Diagnostics}")) : resource.TypeName;
}
