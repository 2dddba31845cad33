# syntax=docker/dockerfile:1
# The platform (src/Clinician.Web: gateway, ingest, alerts, dashboard in one process). Build context: the repository root.
#   docker build -f deploy/platform.Dockerfile -t telehealth-platform .
# Not exercised in CI on machines without Docker.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Project files first, so the restore layer is reused while only source code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Telehealth.Contracts/Telehealth.Contracts.csproj src/Telehealth.Contracts/
COPY src/Telehealth.CareRecord/Telehealth.CareRecord.csproj src/Telehealth.CareRecord/
COPY src/Telehealth.Storage.Sqlite/Telehealth.Storage.Sqlite.csproj src/Telehealth.Storage.Sqlite/
COPY src/Telehealth.Storage.Postgres/Telehealth.Storage.Postgres.csproj src/Telehealth.Storage.Postgres/
COPY src/Telehealth.Notifications/Telehealth.Notifications.csproj src/Telehealth.Notifications/
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/Ingest/Ingest.csproj src/Ingest/
COPY src/Alerts/Alerts.csproj src/Alerts/
COPY src/Telehealth.Fhir/Telehealth.Fhir.csproj src/Telehealth.Fhir/
COPY src/Telehealth.Simulation/Telehealth.Simulation.csproj src/Telehealth.Simulation/
COPY src/Clinician.Web/Clinician.Web.csproj src/Clinician.Web/
RUN dotnet restore src/Clinician.Web/Clinician.Web.csproj
COPY src/ src/
# A signing key generated on a developer's machine must never travel into an image.
RUN rm -rf src/Clinician.Web/data \
 && dotnet publish src/Clinician.Web/Clinician.Web.csproj -c Release --no-restore -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The care-record SQLite file (and, without Auth__SigningKey, the token key) live in /data: mount a volume there.
# /mosquitto/accounts: where the instance that keeps mosquitto's accounts writes them (a volume mosquitto reads).
RUN mkdir -p /data /mosquitto/accounts && chown app:app /data /mosquitto/accounts
USER app
ENV Storage__DataDirectory=/data \
    Urls=http://0.0.0.0:5000
EXPOSE 5000
ENTRYPOINT ["dotnet", "Telehealth.Clinician.Web.dll"]
