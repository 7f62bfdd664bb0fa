import { LlmUsageLedger } from './llm-usage-ledger';

describe('LlmUsageLedger', () => {
  const usage = { promptTokens: 10, completionTokens: 4, totalTokens: 14 };

  it('reports zero for a goal it has not seen', () => {
    expect(new LlmUsageLedger().forGoal('unknown')).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0, requests: 0 });
  });

  it('forgets a goal without lowering the total', () => {
    const ledger = new LlmUsageLedger();
    ledger.record('goal-1', usage);
    ledger.record('goal-1', usage);
    ledger.forget('goal-1');
    expect(ledger.forGoal('goal-1').requests).toBe(0);
    expect(ledger.total()).toEqual({ promptTokens: 20, completionTokens: 8, totalTokens: 28, requests: 2 });
  });

  it('tells its listener of every usage it records (the token metrics)', () => {
    const heard: Array<typeof usage> = [];
    const ledger = new LlmUsageLedger((recorded) => heard.push(recorded));
    ledger.record('goal-1', usage);
    ledger.record('goal-2', { promptTokens: 1, completionTokens: 2, totalTokens: 3 });
    expect(heard).toEqual([usage, { promptTokens: 1, completionTokens: 2, totalTokens: 3 }]);
  });
});
