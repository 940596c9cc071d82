// Ends every run with the one line that `npm test` promises: "N passed, N failed".
// Suites that fail to run at all (a syntax error, a failing beforeAll) count as failed.
// Jest's own summary is printed after the reporters run, so the line is written on exit.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
