// The hooks adapter inside a real n8n 2.41.1 on Postgres (DB_TYPE=postgresdb): a throwaway cluster on
// 127.0.0.1 (support/postgres-cluster.ts), the same suite as on SQLite (support/adapter-suite.ts).
import { describeAdapterInN8n } from './support/adapter-suite.js';

describeAdapterInN8n('postgres');
