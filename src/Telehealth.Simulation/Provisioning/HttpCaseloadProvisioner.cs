using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Provisioning;

/// <summary>
/// Provisions homes through the platform HTTP API: <c>POST /api/patients</c>, then <c>POST /api/devices</c> per
/// device, with the bearer token from <c>POST /api/auth/token</c>. Each person carries a stable identifier, an NHS
/// number from device-sim's own test-range block (<see cref="SyntheticNhsNumbers.SimulatorBlock"/>); when the platform
/// already has that person (409), they are found by that number (never by display name) and given new devices of
/// their own: existing devices, whoever registered them, are never rotated or taken over.
/// </summary>
public sealed class HttpCaseloadProvisioner : ICaseloadProvisioner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly string _accessToken;

    private HttpCaseloadProvisioner(HttpClient http, string accessToken)
    {
        _http = http;
        _accessToken = accessToken;
    }

    /// <summary>Signs in and returns a provisioner that uses the token. <paramref name="http"/> needs its BaseAddress set.</summary>
    public static async Task<HttpCaseloadProvisioner> SignInAsync(HttpClient http, string username, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync("api/auth/token", new TokenRequest(username, password), Json, cancellationToken).ConfigureAwait(false);
        var token = await ReadAsync<TokenResponse>(response, "sign in", cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(token.AccessToken))
        {
            throw new ProvisioningException("Sign in returned no access_token.");
        }
        return new HttpCaseloadProvisioner(http, token.AccessToken);
    }

    public async Task<SimulatedHome> ProvisionAsync(PlannedHome home, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        var nhsNumber = home.NhsNumberFor(SyntheticNhsNumbers.SimulatorBlock);
        var patient = await FindPatientAsync(nhsNumber, cancellationToken).ConfigureAwait(false)
            ?? await PostAsync<PatientResponse>(
                "api/patients",
                new PatientRequest(home.DisplayName, nhsNumber, home.News2Scale, home.OnSupplementalOxygen),
                $"create patient for {home.Label}",
                cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(patient.Id))
        {
            throw new ProvisioningException($"Creating the patient for {home.Label} returned no id.");
        }

        var devices = new List<SimulatedDevice>(home.DeviceTypes.Count);
        foreach (var type in home.DeviceTypes)
        {
            var device = await PostAsync<DeviceResponse>(
                "api/devices",
                new DeviceRequest(patient.Id, type.WireName()),
                $"create {type.WireName()} for {home.Label}",
                cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(device.DeviceId) || string.IsNullOrEmpty(device.Secret))
            {
                throw new ProvisioningException($"Creating a {type.WireName()} for {home.Label} returned no deviceId or secret.");
            }
            devices.Add(new SimulatedDevice(device.DeviceId, device.Secret, type));
        }
        return home.ToHome(patient.Id, devices);
    }

    private async Task<PatientResponse?> FindPatientAsync(string nhsNumber, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/patients");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var caseload = await ReadAsync<List<PatientResponse>>(response, "list patients", cancellationToken).ConfigureAwait(false);
        return caseload.FirstOrDefault(p => p.NhsNumber == nhsNumber);
    }

    private async Task<T> PostAsync<T>(string path, object body, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(body, body.GetType(), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, what, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ProvisioningException($"Could not {what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new ProvisioningException($"Could not {what}: empty response body.", response.StatusCode);
    }

    private sealed record TokenRequest(string Username, string Password);

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken);

    private sealed record PatientRequest(string DisplayName, string NhsNumber, int News2Scale, bool OnSupplementalOxygen);

    private sealed record PatientResponse(string? Id, string? NhsNumber = null);

    private sealed record DeviceRequest(string PatientId, string Type);

    private sealed record DeviceResponse(string? DeviceId, string? Secret);
}
