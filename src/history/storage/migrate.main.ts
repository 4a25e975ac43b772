/**
 * `npm run db:migrate` (or `node dist/history/storage/migrate.main.js` in the image): applies the
 * history migrations and exits, for deployments that migrate as a separate step (a Job, an init
 * container) rather than at start-up. Reads DATABASE_URL / DATA_DIR like the service.
 */
import { historyConfig } from '../../config/history.config';
import { migrate, openDatabase } from './open-database';

async function main(): Promise<void> {
  const config = historyConfig();
  const opened = openDatabase(config, (error) => {
    process.stderr.write(`history database: ${error.message}\n`);
  });
  try {
    const applied = await migrate(opened.db);
    process.stdout.write(
      `${opened.backend === 'postgres' ? 'PostgreSQL' : `embedded store in ${config.dataDir}`}: ` +
        (applied.length > 0 ? `applied ${applied.join(', ')}\n` : 'up to date\n'),
    );
  } finally {
    await opened.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
