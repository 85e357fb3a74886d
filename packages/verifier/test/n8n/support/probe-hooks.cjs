// A second n8n hooks file, for the n8n suites only (never shipped): routes under /rest/n8n-embed-probe
// that let a test reach inside the running n8n — the adapter's database replay store through n8n's own
// connection, and n8n's users and auth_identity rows through n8n's own repositories — the same way on
// SQLite and Postgres. The test n8n listens on 127.0.0.1 only.
const { dirname, join, resolve } = require('node:path');
const { n8nAt, createN8nDatabaseReplayStore } = require(resolve(__dirname, '../../../dist/n8n.js'));

const PREFIX = '/rest/n8n-embed-probe';

function n8nInternals() {
  const n8n = n8nAt(join(dirname(require.main.filename), '..'));
  const { Container } = n8n.require('@n8n/di');
  const db = n8n.require('@n8n/db');
  return {
    users: Container.get(db.UserRepository),
    identities: Container.get(db.AuthIdentityRepository),
  };
}

function route(handler) {
  return async (req, res) => {
    try {
      res.status(200).json(await handler(req.query));
    } catch (error) {
      res.status(503).json({ error: error instanceof Error ? error.message : String(error) });
    }
  };
}

async function ready(server) {
  const store = await createN8nDatabaseReplayStore();
  const { users, identities } = n8nInternals();
  const { app } = server;

  app.post(
    `${PREFIX}/replay/consume`,
    route(async ({ key, now, expiresAt }) => ({
      fresh: await store.consume({ key, now: Number(now), expiresAt: Number(expiresAt) }),
    })),
  );
  app.post(
    `${PREFIX}/replay/sweep`,
    route(async ({ now }) => ({ gone: await store.sweep(Number(now)) })),
  );
  // Everything n8n holds for an email: its users and each one's auth_identity rows.
  app.get(
    `${PREFIX}/identity`,
    route(async ({ email }) => {
      const found = await users.find({ where: { email: String(email) } });
      const rows = [];
      for (const user of found) rows.push(...(await identities.find({ where: { userId: user.id } })));
      return {
        users: found.map((user) => ({
          id: user.id,
          disabled: user.disabled,
          firstName: user.firstName,
          password: user.password,
        })),
        identities: rows.map((row) => ({ providerId: row.providerId, providerType: row.providerType })),
      };
    }),
  );
  // Takes one of these tables away (and puts it back): a real database error for the next query.
  const renamable = new Set(['n8n_embed_replay', 'auth_identity']);
  app.post(
    `${PREFIX}/table`,
    route(async ({ name, away }) => {
      if (!renamable.has(String(name))) throw new Error('not a table the probe may rename');
      const { connection } = users.manager;
      const esc = (table) => connection.driver.escape(table);
      const [from, to] = away === 'true' ? [name, `${name}_away`] : [`${name}_away`, name];
      await connection.query(`ALTER TABLE ${esc(from)} RENAME TO ${esc(to)}`);
      return {};
    }),
  );
  app.post(
    `${PREFIX}/disable`,
    route(async ({ email }) => {
      const result = await users.update({ email: String(email) }, { disabled: true });
      return { affected: result.affected };
    }),
  );
}

module.exports = { n8n: { ready: [ready] } };
