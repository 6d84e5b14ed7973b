# The CallImport operator. Built on the official .NET SDK image; runs on the chiseled ASP.NET runtime
# (Ubuntu Chiseled: no shell, no package manager) as a non-root numeric user. Build from the repository root:
#   make images        (or: docker build -f deploy/docker/operator.Dockerfile --build-arg VERSION=… .)
# The chart runs it with a read-only root filesystem and an emptyDir at /tmp; nothing else is written.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /source
# Packages first (a layer that changes only with the package versions), then the sources.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY deploy/helm/callimport/Chart.yaml deploy/helm/callimport/Chart.yaml
COPY src/ src/
RUN dotnet publish src/Operator/CallImport.Operator.csproj -c Release -o /app -nologo

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/callimport/callimport
LABEL org.opencontainers.image.title="callimport-operator" \
      org.opencontainers.image.description="CallImport operator: reconciles ImportJobs and runs ImportRunner Jobs" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Proprietary"
WORKDIR /app
COPY --from=build /app/ /app/
# /app first on PATH, so the bare program name works as a command too. No HOME is needed; temporary files
# (and .NET's diagnostics sockets) go to /tmp, the one writable place.
ENV PATH=/app:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TMPDIR=/tmp \
    ASPNETCORE_HTTP_PORTS= \
    Operator__HttpPort=8080
# The same numeric user as the chart's securityContext (runAsUser: 65532), so the image runs alike without it.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/app/Operator"]
