// The hooks adapter inside a real n8n 2.41.1 on n8n's default database, SQLite (the whole suite is in
// support/adapter-suite.ts; embed-login-postgres.test.ts runs it on Postgres).
import { describeAdapterInN8n } from './support/adapter-suite.js';

describeAdapterInN8n('sqlite');
