import type { ConnectorFamily } from '../family.js';
import { csvExtractorSpec, csvWriterSpec, jsonWriterSpec, parquetWriterSpec } from './spec.js';

export const filesystemFamily: ConnectorFamily = {
  name: 'filesystem',
  components: [csvExtractorSpec, csvWriterSpec, parquetWriterSpec, jsonWriterSpec],
  async load() {
    const [{ runCsvExtractor }, { runCsvWriter, runParquetWriter, runJsonWriter }] = await Promise.all([import('./csv-extractor.js'), import('./file-writer.js')]);
    return {
      steps: { 'filesystem.csv_extractor': runCsvExtractor, 'filesystem.csv_writer': runCsvWriter, 'filesystem.parquet_writer': runParquetWriter, 'filesystem.json_writer': runJsonWriter },
    };
  },
};
