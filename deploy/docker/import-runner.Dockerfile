# The CallImport ImportRunner: one pod per run, started by the operator as a batch/v1 Job (see
# src/Operator/Runs/RunnerJobTemplate.cs), or on its own for a one-off import. Built on the official .NET SDK
# image's -aot variant (clang, the linker and zlib for native AOT); runs as one native binary on the chiseled
# runtime-deps image (no shell, no package manager) as a non-root numeric user.
# Build from the repository root: make images (or: docker build -f deploy/docker/import-runner.Dockerfile .)
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble-aot AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY deploy/helm/callimport/Chart.yaml deploy/helm/callimport/Chart.yaml
COPY src/ src/
# Published for the runtime (-r): the project then compiles it to native code ahead of time (PublishAot), which a
# pod started per run needs: a start costs 0.02 s of CPU and 31 MiB instead of 0.16 s and 75 MiB self-contained
# composite ReadyToRun (README "Performance"). /app holds one executable and no framework, so the final image is
# runtime-deps. For an arm64 image, build on an arm64 machine with -r linux-arm64 (native AOT does not
# cross-compile between architectures without a cross toolchain).
RUN dotnet publish src/ImportRunner/CallImport.ImportRunner.csproj -c Release -o /app -nologo -r linux-x64

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/callimport/callimport
LABEL org.opencontainers.image.title="callimport-import-runner" \
      org.opencontainers.image.description="CallImport ImportRunner: imports one ImportJob's calls into the engagement store" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Proprietary"
WORKDIR /app
COPY --from=build /app/ /app/
# The runner Job's command is the bare name "ImportRunner" (operator setting RunnerCommand): /app is on PATH.
# No HOME is needed; temporary files go to /tmp, the one writable place (an emptyDir in the Job).
ENV PATH=/app:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TMPDIR=/tmp
# The same numeric user as the runner Job's securityContext (runAsUser: 65532).
USER 65532:65532
ENTRYPOINT ["/app/ImportRunner"]
