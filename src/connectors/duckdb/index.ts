import { doubleQuote, type ConnectorFamily } from '../family.js';
import { duckdbProcessorSpec } from './spec.js';

export const duckdbFamily: ConnectorFamily = {
  name: 'duckdb',
  components: [duckdbProcessorSpec],
  quoteIdent: doubleQuote,
  async load() {
    const { runDuckdbProcessor } = await import('./processor.js');
    return { steps: { 'duckdb.processor': runDuckdbProcessor } };
  },
};
