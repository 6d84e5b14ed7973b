#!/usr/bin/env bash
# Builds the operator and runner images (deploy/docker/*.Dockerfile) tagged with the chart's appVersion;
# with PUSH=1 pushes them to $REGISTRY. Called by `make images`; see the README ("Installing on a cluster").
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY="${REGISTRY:-ghcr.io/callimport}"
PUSH="${PUSH:-0}"
DOCKER="${DOCKER:-docker}"
VERSION="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' deploy/helm/callimport/Chart.yaml)"
REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
SOURCE="${SOURCE:-https://github.com/callimport/callimport}"

if [ -z "$VERSION" ]; then
  echo "images: no appVersion in deploy/helm/callimport/Chart.yaml" >&2
  exit 1
fi
if ! command -v "$DOCKER" >/dev/null 2>&1; then
  echo "images: '$DOCKER' is not installed. Install Docker (or set DOCKER=podman) to build the images." >&2
  exit 2
fi
if ! "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "images: no container engine answers ('$DOCKER version' cannot reach a server). Start Docker, or build on a" >&2
  echo "        machine that has one; the published apps can still be tried here: see the README's 'Development'." >&2
  exit 2
fi

# image name = <registry>/<repository>; the names are those of src/Operator/ReleaseImages.cs and the chart's values.
declare -A dockerfiles=([operator]=deploy/docker/operator.Dockerfile [import-runner]=deploy/docker/import-runner.Dockerfile)
for name in operator import-runner; do
  image="$REGISTRY/$name:$VERSION"
  echo "images: building $image"
  "$DOCKER" build -f "${dockerfiles[$name]}" -t "$image" \
    --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION" --build-arg SOURCE="$SOURCE" .
  if [ "$PUSH" = "1" ]; then
    echo "images: pushing $image"
    "$DOCKER" push "$image"
  fi
done
if [ "$PUSH" != "1" ]; then
  echo "images: built $REGISTRY/operator:$VERSION and $REGISTRY/import-runner:$VERSION (PUSH=1 REGISTRY=… pushes them)"
fi
