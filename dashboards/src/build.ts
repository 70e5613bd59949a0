// Writes the dashboards' JSON from code (`npm run dashboards`); `--check` fails when the checked-in JSON is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dashboard } from './grafana.ts';
import { overviewDashboard } from './overview.ts';
import { reviewDeskDashboard } from './review-desk.ts';

export const DASHBOARD_DIR = fileURLToPath(new URL('../', import.meta.url));

/** File name (in dashboards/) → dashboard. */
export function allDashboards(): Record<string, Dashboard> {
  return { 'overview.json': overviewDashboard(), 'review-desk.json': reviewDeskDashboard() };
}

export function renderDashboard(d: Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, d] of Object.entries(allDashboards())) {
    const path = `${DASHBOARD_DIR}${file}`;
    const text = renderDashboard(d);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (current !== text) {
        stale++;
        process.stderr.write(`${path} is stale: run npm run dashboards\n`);
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path} (${d.panels.length} panels, schemaVersion ${d.schemaVersion})\n`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
