import { defineQuery } from '@temporalio/workflow';
import type { RunProgress } from './run-progress.js';

/** Signals, updates and queries (DESIGN.md section 2). Exported for users' own clients and workflows. */
export const progressQuery = defineQuery<RunProgress>('progress');
