{{/*
The operator's permissions in a namespace it watches (or cluster-wide): exactly the API calls in src/Operator.
tests/Deploy.Tests/RbacTests derives them from the code and fails on any verb too many or too few.
*/}}
{{- define "callimport.operatorRules" -}}
# Informer (list + watch), reconcile read (get), status as a merge patch, finalizers as a merge patch.
- apiGroups: ["callimport.io"]
  resources: ["importjobs"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["callimport.io"]
  resources: ["importjobs/status"]
  verbs: ["patch"]
# Runner Jobs carry an owner reference with blockOwnerDeletion, which needs update on the owner's finalizers.
- apiGroups: ["callimport.io"]
  resources: ["importjobs/finalizers"]
  verbs: ["update"]
# Runner Jobs: informer (list + watch), one create per run, delete on cancel and on ImportJob deletion.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create", "delete"]
# A failed runner's pods, for their exit codes.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
# The ImportJob's credentials Secret: checked before a run, deleted after a Completed import (DeleteAfterImport).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "delete"]
# Events on ImportJobs; a repeat is read and its count patched.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
{{- end -}}

{{/* Leader election: the one Lease, in the release namespace (KubernetesClient's LeaseLock: read, create, replace). */}}
{{- define "callimport.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end -}}
