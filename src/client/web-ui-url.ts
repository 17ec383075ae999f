/** A workflow's page in the Temporal Web UI (its own module: the commands that only print links load no Temporal SDK). */
export function webUiWorkflowUrl(uiUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${runId}/history` : base;
}
