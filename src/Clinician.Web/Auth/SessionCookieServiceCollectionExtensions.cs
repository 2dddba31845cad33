using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Telehealth.Clinician.Web.Auth;

public static class SessionCookieServiceCollectionExtensions
{
    /// <summary>
    /// Lets the bearer scheme read the staff token from the session cookie when a request has no Authorization
    /// header: one token format and one validation (claims, role, team) for scripts and browsers alike, and the
    /// SignalR hub accepts the cookie on its WebSocket, whose upgrade request carries it.
    /// </summary>
    public static IServiceCollection AddStaffSessionCookie(this IServiceCollection services)
    {
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Events ??= new JwtBearerEvents();
            var earlier = options.Events.OnMessageReceived;
            options.Events.OnMessageReceived = async context =>
            {
                await earlier(context);
                if (string.IsNullOrEmpty(context.Token) && SessionCookie.TokenOf(context.Request) is { } token)
                {
                    context.Token = token;
                }
            };
        });
        return services;
    }
}
