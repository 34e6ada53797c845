{{/* Names are capped at 63 characters (DNS label) with room for a component suffix. */}}
{{- define "kg.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kg.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", e.g. keycloak-gitops-webhook. Call with (dict "root" $ "component" "webhook"). */}}
{{- define "kg.componentName" -}}
{{- printf "%s-%s" (include "kg.fullname" .root) .component -}}
{{- end -}}

{{- define "kg.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "kg.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: keycloak-gitops
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The stable subset used in selectors (never add a label here: selectors are immutable). */}}
{{- define "kg.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kg.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Argo CD applies a wave only after the previous one is healthy: CRDs (0) < webhook < controllers < CRs. */}}
{{- define "kg.syncWave" -}}
argocd.argoproj.io/sync-wave: {{ index .root.Values.argocd.syncWaves .wave | quote }}
{{- end -}}

{{- define "kg.image" -}}
{{- $registry := .root.Values.image.registry -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .image.digest -}}
{{- printf "%s%s@%s" (ternary "" (printf "%s/" $registry) (empty $registry)) .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s%s:%s" (ternary "" (printf "%s/" $registry) (empty $registry)) .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "kg.webhookConfigName" -}}
{{- default (include "kg.fullname" .) .Values.webhook.configurationName -}}
{{- end -}}

{{- define "kg.webhookCertSecret" -}}
{{- default (printf "%s-tls" (include "kg.componentName" (dict "root" . "component" "webhook"))) .Values.webhook.certificate.secretName -}}
{{- end -}}

{{/* The restricted Pod Security profile, for every pod of ours; only the numeric ids are configurable. */}}
{{- define "kg.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
# Mounted Secrets (Git SSH key, webhook certificates) are group-readable by this group, never world-readable.
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "kg.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Scheduling and pod-level settings every component accepts under its own key. */}}
{{- define "kg.podScheduling" -}}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Shared env for our JVM services: log format, pod namespace (lease and Secret namespace), JVM sizing. */}}
{{- define "kg.commonEnv" -}}
- name: LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.javaToolOptions | quote }}
{{- end -}}

{{/* A writable /tmp on a read-only root filesystem (JVM perf data, Jetty, JGit work trees). */}}
{{- define "kg.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .sizeLimit | default "64Mi" }}
{{- end -}}

{{- define "kg.serviceMonitor" -}}
{{- $sm := .values.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "kg.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kg.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- include "kg.syncWave" (dict "root" .root "wave" .wave) | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "kg.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames: [{{ .root.Release.Namespace | quote }}]
  endpoints:
    - port: {{ .portName }}
      path: /metrics
      scheme: {{ .scheme }}
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
      {{- with .tlsConfig }}
      tlsConfig:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
NetworkPolicy for one of our components: ingress only on the ports it serves (from .from peers, any peer when
empty); with networkPolicy.egress.enabled also egress to DNS, the API server and .egress (extra rules).
*/}}
{{- define "kg.networkPolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "kg.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kg.labels" . | nindent 4 }}
  annotations:
    {{- include "kg.syncWave" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "kg.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress"{{ if $np.egress.enabled }}, "Egress"{{ end }}]
  ingress:
    {{- /* "rules": several (ports, from) pairs; otherwise one rule of "ports" and "from". */}}
    {{- range (.rules | default (list (dict "ports" .ports "from" .from))) }}
    - ports:
        {{- range .ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- with .from }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
  {{- if $np.egress.enabled }}
  egress:
    {{- if $np.egress.dns }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
    {{- end }}
    {{- range $np.egress.apiServer }}
    - to:
        - ipBlock:
            cidr: {{ .cidr }}
      ports:
        - port: {{ .port }}
          protocol: TCP
    {{- end }}
    {{- with .egress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end -}}

{{/* Role + RoleBinding for leader election in the release namespace, limited to the Lease .lease when given. */}}
{{- /* The webhook's policy file: webhook.policy plus the realm grants (empty when neither is set). */ -}}
{{- define "kg.webhookPolicy" -}}
{{- $policy := deepCopy .Values.webhook.policy -}}
{{- if .Values.realmGrants }}
{{- $_ := set $policy "realmGrants" .Values.realmGrants }}
{{- end }}
{{- if $policy }}{{ toYaml $policy }}{{ end }}
{{- end -}}

{{- /* Namespaces the reconciler never watches in cluster-wide mode. */ -}}
{{- define "kg.reconcilerExcluded" -}}
{{- join "," (uniq (concat (list "kube-system" .Release.Namespace) .Values.reconciler.excludeNamespaces)) -}}
{{- end -}}

{{- define "kg.leaseRole" -}}
{{- $name := printf "%s-leader-election" (include "kg.componentName" .) -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kg.labels" . | nindent 4 }}
  annotations:
    {{- include "kg.syncWave" . | nindent 4 }}
rules:
  {{- if .lease }}
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    resourceNames: [{{ .lease | quote }}]
    verbs: ["get", "update", "patch"]
  # create cannot be limited by name.
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    verbs: ["create"]
  {{- else }}
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    verbs: ["get", "create", "update", "patch"]
  {{- end }}
  - apiGroups: ["", "events.k8s.io"]
    resources: ["events"]
    verbs: ["create", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kg.labels" . | nindent 4 }}
  annotations:
    {{- include "kg.syncWave" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "kg.componentName" . }}
    namespace: {{ .root.Release.Namespace }}
{{- end -}}
