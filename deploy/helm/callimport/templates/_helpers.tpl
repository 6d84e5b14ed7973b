{{/* Names, labels and images, following Helm's conventions. */}}
{{- define "callimport.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "callimport.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object of the release carries. */}}
{{- define "callimport.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: callimport
{{- end -}}

{{- define "callimport.labels" -}}
{{ include "callimport.commonLabels" . }}
{{ include "callimport.selectorLabels" . }}
{{- end -}}

{{- define "callimport.selectorLabels" -}}
app.kubernetes.io/name: {{ include "callimport.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "callimport.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "callimport.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The runner pods' ServiceAccount; empty = each namespace's "default". */}}
{{- define "callimport.runnerServiceAccountName" -}}
{{- if .Values.runner.serviceAccount.name -}}
{{- .Values.runner.serviceAccount.name -}}
{{- else if and .Values.runner.serviceAccount.create (not .Values.watchAllNamespaces) -}}
{{- printf "%s-runner" (include "callimport.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Namespaces whose ImportJobs the operator reconciles, comma-separated (the operator's WatchNamespace); empty = all. */}}
{{- define "callimport.watchNamespaces" -}}
{{- if not .Values.watchAllNamespaces -}}
{{- .Values.watchNamespaces | default (list .Release.Namespace) | join "," -}}
{{- end -}}
{{- end -}}

{{- define "callimport.operatorImage" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "callimport.runnerImage" -}}
{{- printf "%s:%s" .Values.runner.image.repository (.Values.runner.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
