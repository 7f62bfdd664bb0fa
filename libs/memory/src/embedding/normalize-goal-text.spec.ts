import { normalizeGoalText } from './normalize-goal-text';

describe('normalizeGoalText', () => {
  it.each([
    ['Sum 19 and 23!', 'sum 19 and 23'],
    ['  sum 19,   and 23 ', 'sum 19 and 23'],
    ['Read sales.csv\n\tand write_report()', 'read sales csv and write report'],
    ['ＳＵＭ　１９ ａｎｄ ２３', 'sum 19 and 23'],
    ['ﬁle №5', 'file no5'],
    ['Cafe\u0301 — DONNÉES', 'café données'],
    ['Größe über 10 €', 'größe über 10'],
    ['数据 报告', '数据 报告'],
    ['', ''],
    ['?!… --- ', ''],
  ])('%p -> %p', (text, expected) => {
    expect(normalizeGoalText(text)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = normalizeGoalText('  Read SALES.csv, then: Sum 19 + 23!');
    expect(normalizeGoalText(once)).toBe(once);
  });
});
