using Microsoft.AspNetCore.Authorization;
using Telehealth.Clinician.Web.Staff;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// After authentication: a signed-in caller of a disabled account is refused (401, <c>account_disabled</c>) on every
/// endpoint, and an endpoint's <see cref="RequiresPermission"/> is checked against the caller's role (403,
/// <c>forbidden_for_role</c>, naming the role and what it may not do). Anonymous endpoints pass untouched.
/// </summary>
public sealed class PermissionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, StaffAccounts accounts)
    {
        var endpoint = context.GetEndpoint();
        var user = context.User;
        if (endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || user.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        if (!await accounts.IsActiveAsync(user.Username(), context.RequestAborted))
        {
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "This staff account is disabled",
                extensions: new Dictionary<string, object?> { ["code"] = StaffAccounts.AccountDisabled }).ExecuteAsync(context);
            return;
        }
        // Every permission named on the endpoint and its groups must hold (a write inside a read group needs both).
        foreach (var required in endpoint.Metadata.GetOrderedMetadata<RequiresPermission>())
        {
            if (!user.Can(required.Permission))
            {
                await user.Refuse(required.Permission).ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    }
}
