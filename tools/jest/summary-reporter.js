// Writes the run's totals where tools/scripts/test.mjs can add them to the final summary line.
const { writeFileSync } = require('node:fs');

class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    this.output = options.output ?? process.env.AGENTOS_TEST_SUMMARY;
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites: results.testResults.filter((suite) => suite.numFailingTests > 0 || suite.testExecError).map((suite) => suite.testFilePath),
    };
    if (this.output) writeFileSync(this.output, JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
