/** Which worker types exist and which tools each offers: what a plan may use. */
export interface ToolCatalog {
  workerTypes(): readonly string[];
  tools(workerType: string): readonly string[] | undefined;
}

/** A catalog fixed by configuration (capability announcements from live workers replace it later). */
export class StaticToolCatalog implements ToolCatalog {
  private readonly byType: ReadonlyMap<string, readonly string[]>;

  constructor(entries: Readonly<Record<string, readonly string[]>>) {
    this.byType = new Map(Object.entries(entries).map(([type, tools]) => [type, [...tools].sort()]));
  }

  workerTypes(): readonly string[] {
    return [...this.byType.keys()].sort();
  }

  tools(workerType: string): readonly string[] | undefined {
    return this.byType.get(workerType);
  }
}

/** The tools the bundled worker types offer. */
export const BUNDLED_CATALOG: Readonly<Record<string, readonly string[]>> = {
  // fault.inject exists only in workers started with WORKER_FAULT_INJECTION=true (tests);
  // elsewhere a plan using it fails with tool_not_found from the worker.
  io: ['noop', 'fs.read', 'fs.write', 'http.request', 'fault.inject'],
  logic: ['noop', 'jsonata', 'csv.parse', 'text.template', 'math.evaluate', 'fault.inject'],
};
