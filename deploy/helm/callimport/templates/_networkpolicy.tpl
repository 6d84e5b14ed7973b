{{/* Egress rules the operator and the runners share: the database and DNS. */}}
{{- define "callimport.databaseAndDnsEgress" -}}
{{- $np := .Values.networkPolicy -}}
- to:
    {{- range $np.database.cidrs }}
    - ipBlock: { cidr: {{ . | quote }} }
    {{- end }}
  ports:
    - { port: {{ $np.database.port }}, protocol: TCP }
- to:
    - namespaceSelector:
        {{- toYaml $np.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $np.dns.podSelector | nindent 8 }}
  ports:
    - { port: 53, protocol: UDP }
    - { port: 53, protocol: TCP }
{{- end -}}
