using Telehealth.Clinician.Web.Hosting;

try
{
    // `--demo` seeds a caseload and runs simulated homes in-process (see README).
    var builder = WebApplication.CreateBuilder(DemoSwitch.Apply(args, out var demo));
    if (demo)
    {
        builder.Configuration["Demo:Enabled"] = "true";
    }

    ListenUrls.Validate(builder.Configuration["Urls"]);
    builder.AddTelehealthPlatform();
    builder.AddTelehealthTelemetry();

    var app = builder.Build();
    // Every ValidateOnStart option, checked before the host starts (which would log a stack trace first).
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    // The care-record schema, likewise before the host starts: a database this build cannot use is one line.
    await app.Services.GetRequiredService<CareRecordSchemaStartup>().EnsureMigratedAsync();
    app.MapTelehealthPlatform();
    app.MapTelehealthTelemetry();
    app.Run();
    return 0;
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    // A wrong setting stops the process with one line naming it (and exit code 2), not a stack trace.
    Console.Error.WriteLine(StartupFailure.Describe(exception));
    return StartupFailure.ExitCode;
}

public partial class Program;
