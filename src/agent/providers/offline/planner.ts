/** Reads the conversation, recognises the current request and decides the next step of the turn. */
import type { ChatMessage } from '../../types.js';
import { learn, readTurns } from './conversation.js';
import { approvalText, helpText, planDescribe, planList, planSample, planSql, unsupportedText } from './basic.js';
import { exportRequest, planExport } from './export.js';
import { findTerms, planFind } from './find.js';
import { parseModes } from '../../directives.js';
import { needTables, type Plan, type PlanContext } from './plan.js';
import { planQuery, queryRequest } from './query.js';
import { editDistance, fold, singulars, variants } from './words.js';

const TABLE_NAME = String.raw`[\`"'\[]?([A-Za-z0-9_.$-]+)[\`"'\]]?`;
const LIST = /^(?:(?:list|show)(?:\s+me)?(?:\s+all)?(?:\s+the)?\s+tables|what\s+tables\b.*|tables)[\s?.!]*$/i;
const DESCRIBE = new RegExp(String.raw`^(?:describe|schema\s+of|columns\s+(?:of|in))\s+(?:the\s+)?(?:table\s+)?${TABLE_NAME}[\s?.!]*$`, 'i');
const SAMPLE = new RegExp(String.raw`^(?:sample|preview|show\s+(?:me\s+)?(?:some\s+)?rows\s+(?:of|from))\s+(?:the\s+)?(?:table\s+)?${TABLE_NAME}[\s?.!]*$`, 'i');
const APPROVAL = /^(?:approve|reject)\b/i;
const EARLIER_RESULT = /^(?:this|that|it|them|these|those|the\s+(?:results?|query))\b/i;
const HELP = /^(?:help|\?|what\s+can\s+you\s+do)[\s?.!]*$/i;

export function planNext(messages: ChatMessage[]): Plan {
  const turns = readTurns(messages);
  const turn = turns.at(-1);
  if (!turn) return { text: helpText() };
  const { fast, text, sql } = parseModes(turn.userText);
  const ctx: PlanContext = { text, fast, turn, earlier: turns.slice(0, -1), knowledge: learn(turns) };

  if (sql !== undefined) return planSql(ctx, sql.trim());
  if (LIST.test(text)) return planList(ctx);
  const describe = DESCRIBE.exec(text)?.[1];
  if (describe !== undefined) return withTable(ctx, describe, (table) => planDescribe(ctx, table));
  const sample = SAMPLE.exec(text)?.[1];
  if (sample !== undefined) return withTable(ctx, sample, (table) => planSample(ctx, table));
  const terms = findTerms(text);
  if (terms) return planFind(ctx, terms);
  if (APPROVAL.test(text)) return { text: approvalText() };
  if (HELP.test(text)) return { text: helpText() };
  const request = exportRequest(text);
  // "export this", "export table x": the earlier fixed intents; anything else is parsed against the schema.
  if (request && (EARLIER_RESULT.test(request.subject) || /^table\s/i.test(request.subject))) return planExport(ctx, request);
  const query = planQuery(ctx, queryRequest(text));
  if (query) return query;
  if (request) return planExport(ctx, request);
  return { text: unsupportedText(text) };
}

/**
 * The table a user named, as the database spells it: "films" -> `film`, "Movie" -> `movies`, "moveis" ->
 * `movies`. One close name is used and said; several get a question; none is tried as written.
 */
function withTable(ctx: PlanContext, name: string, plan: (table: string) => Plan): Plan {
  const tables = needTables(ctx);
  if (tables) return tables;
  const names = (ctx.knowledge.tables ?? []).map((t) => t.name);
  if (names.includes(name)) return plan(name);
  const wanted = new Set(variants(name));
  const close = names.filter((n) => fold(n) === fold(name) || singulars(n).some((f) => wanted.has(f)) || (name.length >= 4 && editDistance(fold(n), fold(name)) <= 2));
  if (close.length === 1) {
    const result = plan(close[0]!);
    return 'text' in result ? { text: `There is no table \`${name}\`; did you mean \`${close[0]}\`? Here it is.\n\n${result.text}` } : result;
  }
  if (close.length > 1) return { text: `There is no table \`${name}\`. Did you mean ${close.map((n) => `\`${n}\``).join(' or ')}?` };
  return plan(name);
}
