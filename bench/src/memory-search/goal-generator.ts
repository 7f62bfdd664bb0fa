/**
 * Goal texts for the memory-search bench: a family of templates, each filled with seeded random
 * parameters (numbers, file names, metrics, places, people), the way users phrase recurring
 * goals. Some templates share much of their vocabulary (csv, report, metric, by) on purpose, so
 * that the quality check is not trivially easy.
 */

import { seededRandom } from '@agentos/runtime';

export { seededRandom };

type Random = () => number;
type Fill = (random: Random) => string;

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

const FILES = ['sales', 'orders', 'invoices', 'customers', 'inventory', 'payroll', 'expenses', 'shipments', 'returns', 'leads', 'tickets', 'signups', 'refunds', 'visits'];
const METRICS = ['revenue', 'units', 'margin', 'cost', 'refunds', 'discount', 'tax', 'churn', 'latency', 'conversion'];
const DIMS = ['region', 'country', 'product', 'channel', 'store', 'category', 'segment', 'month', 'team', 'supplier'];
const COLUMNS = ['id', 'email', 'amount', 'status', 'created_at', 'country', 'sku', 'price', 'quantity', 'owner'];
const FORMATS = ['markdown', 'html', 'pdf', 'plain text'];
const LANGUAGES = ['french', 'german', 'spanish', 'japanese', 'italian', 'portuguese', 'dutch'];
const DOCUMENTS = ['contract', 'user manual', 'release notes', 'privacy policy', 'newsletter', 'press release'];
const FIELDS = ['title', 'price', 'author', 'publication date', 'temperature', 'headline', 'exchange rate'];
const DOMAINS = ['example.com', 'example.org', 'data.example.net', 'api.example.io', 'news.example.com'];
const PATHS = ['weather', 'books', 'markets', 'products', 'status', 'articles', 'rates'];
const CITIES = ['paris', 'lisbon', 'tokyo', 'nairobi', 'lima', 'oslo', 'seoul', 'montreal', 'cairo', 'perth'];
const PEOPLE = ['alice', 'bob', 'carol', 'dmitri', 'eun-ji', 'farah', 'gustavo', 'hana', 'ivan', 'jules'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ENTITIES = ['customer', 'order', 'invoice', 'supplier', 'employee', 'product', 'ticket'];
const SERVICES = ['billing', 'search', 'checkout', 'auth', 'gateway', 'scheduler', 'mailer'];
const FOLDERS = ['uploads', 'photos', 'exports', 'archive', 'inbox', 'reports'];
const UNITS = ['miles', 'kilometres', 'pounds', 'kilograms', 'fahrenheit', 'celsius', 'gallons', 'litres'];

const year = (r: Random) => String(int(r, 2015, 2026));
const quarter = (r: Random) => `Q${int(r, 1, 4)}`;
const num = (r: Random) => String(int(r, 0, r() < 0.5 ? 100 : 100_000));
const url = (r: Random) => `https://${pick(r, DOMAINS)}/${pick(r, PATHS)}/${pick(r, CITIES)}`;

/** Templates whose goals are stored (and queried with fresh parameters). */
export const STORED_TEMPLATES: readonly Fill[] = [
  (r) => `Sum ${num(r)} and ${num(r)}`,
  (r) => `Multiply ${num(r)} by ${num(r)} and round to ${int(r, 0, 6)} decimals`,
  (r) => `Compute the average of ${num(r)}, ${num(r)} and ${num(r)}`,
  (r) => `Read ${pick(r, FILES)}-${year(r)}.csv, aggregate ${pick(r, METRICS)} by ${pick(r, DIMS)} and write a ${pick(r, FORMATS)} report`,
  (r) => `Fetch ${url(r)} and extract the ${pick(r, FIELDS)}`,
  (r) => `Convert ${pick(r, FILES)}.json to CSV with columns ${pick(r, COLUMNS)}, ${pick(r, COLUMNS)} and ${pick(r, COLUMNS)}`,
  (r) => `Translate the ${pick(r, DOCUMENTS)} in ${pick(r, FILES)}.txt from ${pick(r, LANGUAGES)} to ${pick(r, LANGUAGES)}`,
  (r) => `Summarise the ${pick(r, METRICS)} trend for ${quarter(r)} ${year(r)} in ${int(r, 3, 10)} bullet points`,
  (r) => `Email ${pick(r, PEOPLE)} the ${pick(r, FILES)} report for ${pick(r, MONTHS)} ${year(r)}`,
  (r) => `Count the rows of ${pick(r, FILES)}.csv where ${pick(r, COLUMNS)} is above ${num(r)}`,
  (r) => `Find duplicate ${pick(r, ENTITIES)} records in ${pick(r, FILES)}.csv by ${pick(r, COLUMNS)}`,
  (r) => `Download ${url(r)} and save it as ${pick(r, FILES)}-${num(r)}.html`,
  (r) => `Check whether ${url(r)} responds within ${num(r)} ms`,
  (r) => `Render a bar chart of ${pick(r, METRICS)} per ${pick(r, DIMS)} from ${pick(r, FILES)}.csv`,
  (r) => `Join ${pick(r, FILES)}.csv and ${pick(r, FILES)}.csv on ${pick(r, COLUMNS)} and keep rows from ${year(r)}`,
  (r) => `Sort ${pick(r, FILES)}.csv by ${pick(r, COLUMNS)} descending and keep the top ${num(r)} rows`,
  (r) => `Compute the ${int(r, 50, 99)}th percentile of ${pick(r, METRICS)} in ${pick(r, FILES)}-${year(r)}.csv`,
  (r) => `Filter ${pick(r, FILES)}.json for ${pick(r, ENTITIES)}s created after ${pick(r, MONTHS)} ${int(r, 1, 28)}, ${year(r)}`,
  (r) => `Schedule a reminder for ${pick(r, PEOPLE)} on ${pick(r, MONTHS)} ${int(r, 1, 28)} at ${int(r, 7, 19)}:00`,
  (r) => `Generate an invoice for ${pick(r, PEOPLE)} of ${num(r)} EUR due on ${pick(r, MONTHS)} ${int(r, 1, 28)}`,
  (r) => `Validate that every ${pick(r, ENTITIES)} in ${pick(r, FILES)}.json has a ${pick(r, COLUMNS)}`,
  (r) => `Rename the files in ${pick(r, FOLDERS)} to lower case and replace spaces with dashes`,
  (r) => `Estimate the cost of running ${num(r)} tasks on ${int(r, 1, 64)} workers for ${int(r, 1, 48)} hours`,
  (r) => `List the ${int(r, 3, 50)} largest ${pick(r, ENTITIES)}s by ${pick(r, METRICS)} in ${year(r)}`,
  (r) => `Compare ${pick(r, METRICS)} between ${quarter(r)} ${year(r)} and ${quarter(r)} ${year(r)} for each ${pick(r, DIMS)}`,
  (r) => `Extract all email addresses from ${pick(r, FILES)}.txt and deduplicate them`,
  (r) => `Convert ${num(r)} ${pick(r, UNITS)} to ${pick(r, UNITS)}`,
  (r) => `Archive the logs of ${pick(r, SERVICES)} older than ${int(r, 1, 365)} days`,
  (r) => `Look up the weather forecast for ${pick(r, CITIES)} on ${pick(r, MONTHS)} ${int(r, 1, 28)}`,
  (r) => `Merge the ${pick(r, FILES)} sheets of ${pick(r, MONTHS)} and ${pick(r, MONTHS)} into one table`,
];

/** Templates never stored: their queries have no sibling in the index (novel goals). */
export const NOVEL_TEMPLATES: readonly Fill[] = [
  (r) => `Calculate the compound interest on ${num(r)} EUR at ${int(r, 1, 9)}% over ${int(r, 1, 30)} years`,
  (r) => `Resize the images in ${pick(r, FOLDERS)} to ${num(r)} by ${num(r)} pixels`,
  (r) => `Tokenise ${pick(r, FILES)}.txt and count the ${int(r, 5, 100)} most frequent words`,
  (r) => `Back up the ${pick(r, SERVICES)} database to ${pick(r, FOLDERS)} every ${int(r, 1, 24)} hours`,
  (r) => `Plot ${pick(r, METRICS)} against ${pick(r, METRICS)} for ${pick(r, FILES)}-${year(r)}.csv as a scatter chart`,
  (r) => `Notify ${pick(r, PEOPLE)} when the ${pick(r, SERVICES)} error rate exceeds ${int(r, 1, 20)} percent`,
];

export interface GeneratedGoal {
  readonly text: string;
  /** Index into the template list it came from. */
  readonly template: number;
}

/** `count` goals from `templates`, each template equally likely; the same seed gives the same goals. */
export function generateGoals(templates: readonly Fill[], count: number, seed: number): GeneratedGoal[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const template = Math.floor(random() * templates.length);
    return { text: templates[template]!(random), template };
  });
}
