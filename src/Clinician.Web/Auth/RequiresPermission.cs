using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>Endpoint metadata: the permission a caller's role must carry (<see cref="PermissionMiddleware"/> enforces it).</summary>
public sealed record RequiresPermission(StaffPermission Permission);
