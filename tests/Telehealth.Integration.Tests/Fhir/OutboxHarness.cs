using System.Text.Json;
using System.Text.Json.Nodes;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>
/// Settings and reads shared by the outbox tests: the real platform pushing to a <see cref="FhirTestServer"/>, with
/// timings shortened so a storm of faults plays out in seconds (the policy is the production one).
/// </summary>
internal static class OutboxHarness
{
    public static Dictionary<string, string?> Settings(FhirTestServer server) => new()
    {
        ["Fhir:Server"] = server.BaseAddress.ToString(),
        ["Fhir:RequestTimeout"] = "00:00:00.750",
        ["Fhir:MaxRetryAttempts"] = "3",
        ["Fhir:RetryBaseDelay"] = "00:00:00.050",
        ["Fhir:RetryMaxDelay"] = "00:00:01",
        ["Fhir:CircuitBreakerMinimumThroughput"] = "6",
        ["Fhir:CircuitBreakerSamplingDuration"] = "00:00:05",
        ["Fhir:CircuitBreakerBreakDuration"] = "00:00:01",
        ["Fhir:BlockedRetryInterval"] = "00:00:00.200",
        ["Fhir:PollInterval"] = "00:00:00.500",
    };

    public static async Task<OutboxView> GetOutboxAsync(this HttpClient staff, string? status = null, int limit = 1000)
    {
        var query = status is null ? $"?limit={limit}" : $"?status={status}&limit={limit}";
        var body = await staff.GetJsonAsync("/api/fhir/outbox" + query);
        var counts = body.GetProperty("counts");
        return new OutboxView(
            counts.GetProperty("pending").GetInt32(),
            counts.GetProperty("sent").GetInt32(),
            counts.GetProperty("failed").GetInt32(),
            body.GetProperty("entries").EnumerateArray().Select(OutboxRow.From).ToArray());
    }

    /// <summary>Polls the outbox API until nothing is pending (and at least <paramref name="minimumSent"/> were sent).</summary>
    public static Task<OutboxView> WaitUntilDrainedAsync(this HttpClient staff, int minimumSent = 0, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => staff.GetOutboxAsync(), view => view.Pending == 0 && view.Sent >= minimumSent, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>The sent entries of one patient as <c>Type/id</c>, in outbox order (seq).</summary>
    public static string[] SentInOrder(this OutboxView view, string patientId) =>
        view.Entries.Where(e => e.PatientId == patientId && e.Status == "sent").OrderBy(e => e.Seq).Select(e => e.Reference).ToArray();

    /// <summary>What the server stored for one patient as <c>Type/id</c>, in arrival order.</summary>
    public static string[] ArrivedInOrder(this FhirTestServer server, string patientId) =>
        server.Writes.Where(w => w.PatientId == patientId).OrderBy(w => w.Arrival).Select(w => $"{w.ResourceType}/{w.Id}").ToArray();

    /// <summary>Every RiskAssessment version arrived after each Observation of its basis, and every Task after its Flag.</summary>
    public static void AssertReferencesArrivedFirst(this FhirTestServer server, string patientId)
    {
        var writes = server.Writes.Where(w => w.PatientId == patientId).ToArray();
        long FirstArrival(string reference) =>
            writes.Where(w => $"{w.ResourceType}/{w.Id}" == reference).Select(w => w.Arrival).DefaultIfEmpty(long.MaxValue).Min();
        foreach (var write in writes)
        {
            var references = write.ResourceType switch
            {
                "RiskAssessment" => (write.Json["basis"] as JsonArray ?? []).Select(b => b!["reference"]!.GetValue<string>()).ToArray(),
                "Task" => [write.Json["focus"]!["reference"]!.GetValue<string>()],
                "Observation" when write.Json["device"].Text("reference") is { } device => [$"Patient/{patientId}", device],
                "Observation" or "Device" or "Flag" => [$"Patient/{patientId}"],
                _ => [],
            };
            foreach (var reference in references)
            {
                Assert.True(FirstArrival(reference) < write.Arrival, $"{write.ResourceType}/{write.Id} v{write.VersionId} arrived before {reference}");
            }
        }
    }

    public static string? Text(this JsonNode? node, string property) => node?[property]?.GetValue<string>();
}

internal sealed record OutboxView(int Pending, int Sent, int Failed, IReadOnlyList<OutboxRow> Entries)
{
    public override string ToString() => $"pending {Pending}, sent {Sent}, failed {Failed}";
}

internal sealed record OutboxRow(long Seq, string PatientId, string ResourceType, string ResourceId, string Status, int Attempts, int? LastStatusCode, string? LastError)
{
    public string Reference => $"{ResourceType}/{ResourceId}";

    public static OutboxRow From(JsonElement e) => new(
        e.GetProperty("seq").GetInt64(),
        e.Str("patientId"),
        e.Str("resourceType"),
        e.Str("resourceId"),
        e.Str("status"),
        e.GetProperty("attempts").GetInt32(),
        e.GetProperty("lastStatusCode").ValueKind == JsonValueKind.Null ? null : e.GetProperty("lastStatusCode").GetInt32(),
        e.GetProperty("lastError").ValueKind == JsonValueKind.Null ? null : e.GetProperty("lastError").GetString());
}
