import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes (docs/architecture.md §5), registered when the dev server starts. */
export const OsirisSession = defineSearchAttributeKey('OsirisSession', SearchAttributeType.KEYWORD);
export const OsirisPipeline = defineSearchAttributeKey('OsirisPipeline', SearchAttributeType.KEYWORD);
export const OsirisStatus = defineSearchAttributeKey('OsirisStatus', SearchAttributeType.KEYWORD);

export const osirisSearchAttributes = [OsirisSession, OsirisPipeline, OsirisStatus];
