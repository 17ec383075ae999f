/** Public API of the OML module: parse, validate, upgrade and compile pipelines. */
export { canonicalJson } from './canonical-json.js';
export { compileOml, type CompileResult } from './compile.js';
export { parseConnectionRef, type ConnectionRef } from '../connections/ref.js';
export type { TransformSqlCheck } from './config-rules.js';
export { dagLevels, findCycles, type DagNode } from './dag.js';
export { OmlInvalidError } from './errors.js';
export { isLegacyPipeline, upgradeLegacy, type LegacyUpgrade } from './legacy.js';
export { outputTableName, type CompiledPipeline, type Manifest, type ManifestStep, type ParamValue, type StepMode } from './manifest.js';
export { checkRelativeOutputPath } from './output-path.js';
export { parseParamArgs, substituteParams } from './params.js';
export { parseYaml, type Locator, type ParsedYaml, type SourceLocation } from './parse.js';
export { formatProblem, type Problem, type Severity } from './problem.js';
export { omlDocumentSchema, omlStepSchema, type OmlDocument, type OmlStep } from './schema.js';
export { validateOml, type ValidateOptions, type ValidationReport } from './validate.js';
