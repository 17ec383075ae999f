import { z } from 'zod';
import { connectionValue as v, type ConnectorFamily } from '../family.js';
import { mysqlExtractorSpec, mysqlWriterSpec } from './spec.js';

/** A MySQL/MariaDB identifier, backquoted. */
export const quoteMysqlIdent = (name: string): string => `\`${name.replaceAll('`', '``')}\``;

export const mysqlFamily: ConnectorFamily = {
  name: 'mysql',
  components: [mysqlExtractorSpec, mysqlWriterSpec],
  connections: {
    schema: z.object({
      host: v.text('Server host name'),
      port: v.port('Server port (3306)').optional(),
      user: v.text('User name').optional(),
      username: v.text('User name (alias of user)').optional(),
      password: v.text('Password; write ${ENV_VAR}').optional(),
      database: v.text('Default database').optional(),
      ssl: v.flag('TLS with the system CAs').optional(),
      ssl_ca: v.text('CA certificate (PEM file)').optional(),
      ssl_cert: v.text('Client certificate (PEM file)').optional(),
      ssl_key: v.text('Client key (PEM file)').optional(),
      ssl_reject_unauthorized: v.flag('Verify the server certificate (true)').optional(),
      connect_timeout_ms: v.positive('Connect timeout in ms (10000)').optional(),
      pool_size: v.positive('Connections per step (4)').optional(),
    }),
  },
  quoteIdent: quoteMysqlIdent,
  async load() {
    const [{ runMysqlExtractor }, { runMysqlWriter }, { openMysqlDiscovery }] = await Promise.all([import('./extractor.js'), import('./writer.js'), import('./discovery.js')]);
    return { steps: { 'mysql.extractor': runMysqlExtractor, 'mysql.writer': runMysqlWriter }, openDiscovery: openMysqlDiscovery };
  },
};
