using System.Net;
using Telehealth.Fhir.Outbox;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>Which answers are worth retrying, and identifiers that need FHIR search escaping on the way there and back.</summary>
public sealed class OutboxPushClientTests
{
    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.PreconditionFailed, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public void Only_server_errors_timeouts_and_throttling_are_transient(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, FhirPushClient.IsTransient(status));

    [Theory]
    [InlineData("urn:telehealth:fhir:id:observation", "dev-1|pat-2|1700000000000|2708-6|97", @"urn:telehealth:fhir:id:observation|dev-1\|pat-2\|1700000000000\|2708-6\|97")]
    [InlineData("urn:x", @"a,b$c\d", @"urn:x|a\,b\$c\\d")]
    [InlineData("urn:x", "plain", "urn:x|plain")]
    public void Identifier_tokens_escape_search_delimiters_and_the_test_server_reads_them_back(string system, string value, string token)
    {
        Assert.Equal(token, FhirPushClient.SearchToken(system, value));
        Assert.Equal((system, value), FhirTestServer.ParseToken(token));
    }
}
