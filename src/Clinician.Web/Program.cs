using Telehealth.Clinician.Web.Hosting;

// `--demo` seeds a caseload and runs simulated homes in-process (see README).
var builder = WebApplication.CreateBuilder(DemoSwitch.Apply(args, out var demo));
if (demo)
{
    builder.Configuration["Demo:Enabled"] = "true";
}

builder.AddTelehealthPlatform();

var app = builder.Build();
app.MapTelehealthPlatform();
app.Run();

public partial class Program;
