import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoalMessage, newEnvelope } from '@agentos/contracts';
import { uniqueName } from '@agentos/test-kit';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The bundled example goal (examples/goals/sales-report.json) as a Goal message with a fresh id. */
export function exampleGoal(): GoalMessage {
  const file = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'goals', 'sales-report.json'), 'utf8')) as Omit<GoalMessage, keyof ReturnType<typeof newEnvelope>>;
  return { ...newEnvelope('goal', { goalId: uniqueName('sales') }), ...file };
}

/** What the example's totals must be, computed here straight from the CSV. */
export function expectedSalesTotals(): { orders: number; units: number; revenue: number; months: number; byRegion: Map<string, number> } {
  const [header, ...lines] = readFileSync(join(REPO_ROOT, 'examples', 'data', 'sales.csv'), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value])));
  const byRegion = new Map<string, number>();
  let units = 0;
  let revenue = 0;
  for (const row of rows) {
    const amount = Number(row.units) * Number(row.unit_price);
    units += Number(row.units);
    revenue += amount;
    byRegion.set(row.region!, (byRegion.get(row.region!) ?? 0) + amount);
  }
  return { orders: rows.length, units, revenue, months: new Set(rows.map((row) => row.month)).size, byRegion };
}
