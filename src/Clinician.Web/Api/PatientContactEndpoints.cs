using System.Security.Claims;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Audit;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// A person's phones and contacts (carer, next of kin, key worker) for telephone follow-up:
/// <c>GET/PUT /api/patients/{id}/contacts</c>; also part of <c>GET /api/patients/{id}</c> and every worklist item.
/// </summary>
public static class PatientContactEndpoints
{
    public sealed record PhoneDto(string? Label, string? Number);

    public sealed record ContactDto(string? Name, string? Relationship, string? Phone);

    /// <summary>Both lists replace what was there; an empty or missing list clears it.</summary>
    public sealed record PatientContactsDto(IReadOnlyList<PhoneDto>? Phones, IReadOnlyList<ContactDto>? Contacts);

    public static IEndpointRouteBuilder MapPatientContactEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients/{id}/contacts").Requires(StaffPermission.ViewCaseload)
            .Audited(AuditAction.View, AuditSubject.PatientRoute).WithTags("Patients");

        group.MapGet("/", async (string id, ClaimsPrincipal user, IPatientRepository patients, IPatientContactStore contacts, CancellationToken ct) =>
            await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null
                ? PatientEndpoints.NotFound(id)
                : Results.Ok(ToDto(await contacts.GetAsync(id, ct))));

        group.MapPut("/", async (string id, PatientContactsDto request, ClaimsPrincipal user, IPatientRepository patients, IPatientContactStore contacts,
            TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var problems = new List<string>();
            var phones = new List<PatientPhone>();
            foreach (var (phone, i) in (request.Phones ?? []).Select((p, i) => (p, i)))
            {
                if (!WireNames.TryParse<PhoneLabel>(phone.Label ?? "other", out var label))
                {
                    problems.Add($"phones[{i}]: label '{phone.Label}' is not one of home, mobile, work, other.");
                }
                phones.Add(new PatientPhone(label, phone.Number?.Trim() ?? ""));
            }
            var people = new List<PatientContact>();
            foreach (var (contact, i) in (request.Contacts ?? []).Select((c, i) => (c, i)))
            {
                if (!WireNames.TryParse<ContactRelationship>(contact.Relationship, out var relationship))
                {
                    problems.Add($"contacts[{i}]: relationship '{contact.Relationship}' is not one of carer, next_of_kin, key_worker, other.");
                }
                people.Add(new PatientContact(contact.Name?.Trim() ?? "", relationship, contact.Phone?.Trim() ?? ""));
            }
            var updated = new PatientContacts(phones, people);
            problems.AddRange(updated.Validate());
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["contacts"] = [.. problems] });
            }
            await contacts.SetAsync(id, updated, user.Username(), time.GetUtcNow(), ct);
            return Results.Ok(ToDto(updated));
        }).Requires(StaffPermission.EditContacts).Audited(AuditAction.Change, AuditSubject.PatientRoute);
        return app;
    }

    public static PatientContactsDto ToDto(PatientContacts contacts)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        return new(
            contacts.Phones.Select(p => new PhoneDto(WireNames.Of(p.Label), p.Number)).ToList(),
            contacts.Contacts.Select(c => new ContactDto(c.Name, WireNames.Of(c.Relationship), c.Phone)).ToList());
    }
}
