using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

public static class PermissionEndpointExtensions
{
    /// <summary>Signed-in staff whose role carries <paramref name="permission"/> (<see cref="PermissionMatrix"/>); others get 403 with the reason.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, StaffPermission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().WithMetadata(new RequiresPermission(permission));
}
