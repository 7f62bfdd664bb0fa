import { Logger } from '@nestjs/common';
import { goalTemplate, LocalHashEmbedder, MemoryStoreError, normalizeGoalText, RunMemory, SqliteMemoryStore } from '@agentos/memory';
import { FinishedRun } from './finished-run';
import { MemoryRecorder } from './memory-recorder';

const embedder = new LocalHashEmbedder();

function finished(goalId: string, goalText = `Total orders in data/${goalId}.csv above 250`): FinishedRun {
  return {
    goalId,
    goalText,
    normalizedGoal: normalizeGoalText(goalText),
    goalTemplate: goalTemplate(goalText).key,
    plan: { tasks: [{ id: 'read', workerType: 'io', tool: 'fs.read', input: { path: `data/${goalId}.csv` } }] },
    planShape: 'shape-read',
    status: 'succeeded',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_001_000,
    llmCalls: 1,
    llmTokens: 200,
    cost: 0.5,
    tasks: [{ taskId: 'read', tool: 'fs.read', workerType: 'io', status: 'succeeded', attempts: 1, latencyMs: 3, cost: 0.3, errorCodes: [] }],
    recoveries: [],
  };
}

let store: SqliteMemoryStore;

beforeEach(async () => {
  store = new SqliteMemoryStore({ path: ':memory:' });
  await store.migrate();
  // The recorder warns of drops and failures; the tests count them instead.
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await store.close();
});

function recorderOn(target: SqliteMemoryStore, maxPending = 100) {
  const recorded: RunMemory[] = [];
  const recorder = new MemoryRecorder(target, embedder, maxPending, (run) => recorded.push(run));
  return { recorder, recorded };
}

describe('MemoryRecorder', () => {
  it('writes finished goals to the store in the order they finished', async () => {
    const { recorder, recorded } = recorderOn(store);
    const ids = ['g-1', 'g-2', 'g-3', 'g-4'];
    for (const id of ids) recorder.enqueue(finished(id));
    await recorder.flush();
    expect(recorded.map((run) => run.goalId)).toEqual(ids);
    expect(await store.count()).toBe(ids.length);
    expect(recorder.recorded).toBe(ids.length);
  });

  it('writes a run enqueued while the previous drain was finishing (no run is stranded)', async () => {
    const { recorder, recorded } = recorderOn(store);
    recorder.enqueue(finished('g-1'), embedder.embedText('g-1'));
    // Lands between the drain's last write and its end.
    void Promise.resolve().then(() => recorder.enqueue(finished('g-2'), embedder.embedText('g-2')));
    await recorder.flush();
    expect(recorded.map((run) => run.goalId)).toEqual(['g-1', 'g-2']);
    expect(recorder.pending).toBe(0);
  });

  it('embeds the goal text when no embedding came with the goal, and keeps one that did', async () => {
    const { recorder } = recorderOn(store);
    const given = embedder.embedText('the embedding planning made');
    recorder.enqueue(finished('embedded-here'));
    recorder.enqueue(finished('embedded-before'), given);
    await recorder.flush();

    const here = await store.run('embedded-here');
    expect(here?.embedding).toEqual(embedder.embedText(finished('embedded-here').goalText));
    expect(here?.embeddingModel).toBe(embedder.model);
    expect((await store.run('embedded-before'))?.embedding).toEqual(given);
  });

  it('tells its listener of each run once stored, with the embedding it was stored with', async () => {
    const { recorder, recorded } = recorderOn(store);
    recorder.enqueue(finished('g-1'));
    await recorder.flush();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toEqual(await store.run('g-1'));
  });

  it('flush() resolves only once everything enqueued so far is written', async () => {
    const { recorder } = recorderOn(store);
    for (let i = 0; i < 20; i++) recorder.enqueue(finished(`g-${i}`));
    expect(recorder.pending).toBeGreaterThan(0);
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(await store.count()).toBe(20);
  });

  it('flush() with nothing enqueued resolves at once', async () => {
    await expect(recorderOn(store).recorder.flush()).resolves.toBeUndefined();
  });

  it('drops the oldest waiting goals beyond maxPending, and counts them', async () => {
    const { recorder, recorded } = recorderOn(store, 2);
    const ids = ['g-1', 'g-2', 'g-3', 'g-4', 'g-5'];
    for (const id of ids) recorder.enqueue(finished(id));
    // g-1 is being written already; of the four waiting behind it, the two newest stay.
    expect(recorder.pending).toBe(2);
    await recorder.flush();
    expect(recorded.map((run) => run.goalId)).toEqual(['g-1', 'g-4', 'g-5']);
    expect(recorder.dropped).toBe(2);
    expect(recorder.recorded + recorder.dropped).toBe(ids.length);
    expect(await store.count()).toBe(3);
  });

  it('counts a write the store refuses and goes on with the next ones', async () => {
    const { recorder, recorded } = recorderOn(store);
    recorder.enqueue(finished('g-1'));
    recorder.enqueue({ ...finished('bad'), goalText: 'a NUL \u0000 the store cannot hold' });
    recorder.enqueue(finished('g-3'));
    await recorder.flush();
    expect(recorder.failed).toBe(1);
    expect(recorded.map((run) => run.goalId)).toEqual(['g-1', 'g-3']);
    expect(await store.run('bad')).toBeUndefined();
  });

  it('survives a store that is down: every write is attempted, counted as failed, and nothing throws', async () => {
    const closed = new SqliteMemoryStore({ path: ':memory:' });
    await closed.migrate();
    await closed.close();
    await expect(closed.recordRun({ ...finished('probe'), embedding: embedder.embedText('probe'), embeddingModel: embedder.model })).rejects.toBeInstanceOf(MemoryStoreError);

    const { recorder, recorded } = recorderOn(closed);
    for (let i = 0; i < 5; i++) recorder.enqueue(finished(`g-${i}`));
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(recorder.failed).toBe(5);
    expect(recorder.recorded).toBe(0);
    expect(recorded).toEqual([]);
    expect(recorder.pending).toBe(0);
  });

  it('records goals enqueued while a write is under way, including from its own listener', async () => {
    const recorded: string[] = [];
    const recorder: MemoryRecorder = new MemoryRecorder(store, embedder, 100, (run) => {
      recorded.push(run.goalId);
      if (run.goalId === 'g-1') recorder.enqueue(finished('from-listener'));
    });
    recorder.enqueue(finished('g-1'));
    await Promise.resolve();
    recorder.enqueue(finished('g-2'));
    await recorder.flush();
    expect(recorded).toEqual(['g-1', 'g-2', 'from-listener']);
  });
});
