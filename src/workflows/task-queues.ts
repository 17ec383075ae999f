/** Task queue names (docs/architecture.md §5). Pure: shared by workflows, workers and the CLI. */
export const CONTROL_TASK_QUEUE = 'osiris-control';

export const EXEC_TASK_QUEUES = {
  local: 'osiris-exec-local',
  e2b: 'osiris-exec-e2b',
} as const;

export type ExecutionTarget = keyof typeof EXEC_TASK_QUEUES;

export const EXECUTION_TARGETS = Object.keys(EXEC_TASK_QUEUES) as ExecutionTarget[];
