using System.Security.Claims;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Audit;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// <c>PUT /api/patients/{id}</c>: correct a person's name, NHS number or date of birth. The NHS number is checked
/// here as in the browser (modulus 11): the page checks to help, the server checks to decide. Every problem is
/// answered at once, keyed by field, each with its reason code (<c>invalid_nhs_number</c>, ...).
/// </summary>
public static class PatientDetailsEndpoints
{
    public const string DuplicateNhsNumber = "duplicate_nhs_number";

    /// <param name="NhsNumber">Ten digits; spaces are ignored ("943 476 5919"); null or empty when not known.</param>
    public sealed record UpdatePatientRequest(string? DisplayName, string? NhsNumber, DateOnly? DateOfBirth);

    public static IEndpointRouteBuilder MapPatientDetailsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/patients/{id}", async (string id, UpdatePatientRequest request, ClaimsPrincipal user, IPatientRepository patients,
            TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var nhsNumber = request.NhsNumber?.Replace(" ", "", StringComparison.Ordinal);
            var details = new PatientDetails(request.DisplayName?.Trim() ?? "", string.IsNullOrEmpty(nhsNumber) ? null : nhsNumber, request.DateOfBirth);
            var problems = details.Validate(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            if (problems.Count > 0)
            {
                var code = problems.TryGetValue("nhsNumber", out _) ? NhsNumbers.InvalidReason : problems.Values.First()[0].Split(':')[0];
                return Results.ValidationProblem(new Dictionary<string, string[]>(problems), extensions: new Dictionary<string, object?> { ["code"] = code });
            }
            return await patients.UpdateDetailsAsync(id, details, ct) switch
            {
                PatientUpdateResult.Updated => Results.Ok(PatientEndpoints.ToDto((await patients.GetAsync(id, ct))!)),
                PatientUpdateResult.DuplicateNhsNumber => Results.Problem(statusCode: 409, title: "Another person in your team's caseload has this NHS number",
                    extensions: new Dictionary<string, object?> { ["code"] = DuplicateNhsNumber }),
                _ => PatientEndpoints.NotFound(id),
            };
        })
        .Requires(StaffPermission.RegisterPatients)
        .Audited(AuditAction.Change, AuditSubject.PatientRoute)
        .WithTags("Patients");
        return app;
    }
}
