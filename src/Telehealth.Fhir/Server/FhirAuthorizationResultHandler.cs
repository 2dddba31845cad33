using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Telehealth.Fhir.Server;

/// <summary>
/// Under /fhir a refused request still gets an OperationOutcome body (401 login, 403 forbidden) after the usual
/// challenge (status and WWW-Authenticate); everywhere else the default behaviour is kept.
/// </summary>
public sealed class FhirAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async System.Threading.Tasks.Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!context.Request.Path.StartsWithSegments(FhirServerEndpoints.BasePath) || !(authorizeResult.Challenged || authorizeResult.Forbidden))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        if (authorizeResult.Challenged)
        {
            await ChallengeOrForbidAsync(context, policy, forbid: false);
            await OperationOutcomes.Result(StatusCodes.Status401Unauthorized, OperationOutcome.IssueType.Login,
                "A staff bearer token is required (POST /api/auth/token).").ExecuteAsync(context);
        }
        else
        {
            await ChallengeOrForbidAsync(context, policy, forbid: true);
            await OperationOutcomes.Result(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                "Your account may not use this endpoint.").ExecuteAsync(context);
        }
    }

    private static async System.Threading.Tasks.Task ChallengeOrForbidAsync(HttpContext context, AuthorizationPolicy policy, bool forbid)
    {
        if (policy.AuthenticationSchemes.Count == 0)
        {
            await (forbid ? context.ForbidAsync() : context.ChallengeAsync());
            return;
        }
        foreach (var scheme in policy.AuthenticationSchemes)
        {
            await (forbid ? context.ForbidAsync(scheme) : context.ChallengeAsync(scheme));
        }
    }
}
