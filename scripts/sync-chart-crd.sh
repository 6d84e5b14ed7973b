#!/usr/bin/env bash
# Writes the chart's CRD template from config/crd/importjobs.callimport.io.yaml (the reviewed CRD): the same
# object, plus the chart's labels and, with crds.keep, helm.sh/resource-policy: keep. Run it after changing the
# CRD; tests/Deploy.Tests (CrdTests) fails until the two agree.
set -euo pipefail
cd "$(dirname "$0")/.."
source=config/crd/importjobs.callimport.io.yaml
target=deploy/helm/callimport/templates/crd-importjobs.yaml
{
  cat <<'HEAD'
{{- if .Values.crds.install }}
# The ImportJob CRD, written by scripts/sync-chart-crd.sh from config/crd/importjobs.callimport.io.yaml: edit
# that file, then run the script. A template (not crds/) so that `helm upgrade` upgrades it as well.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: importjobs.callimport.io
  labels:
    {{- include "callimport.commonLabels" . | nindent 4 }}
  {{- if .Values.crds.keep }}
  annotations:
    # helm uninstall leaves the CRD, and with it every ImportJob.
    helm.sh/resource-policy: keep
  {{- end }}
HEAD
  sed -n '/^spec:/,$p' "$source"
  echo '{{- end }}'
} > "$target"
echo "wrote $target"
