// Settings read from the environment: the worker's workflow cache size.
import { loadSettings } from '../../platform/config';
import { IN_PROGRESS_LEASE_MS } from '../../api/idempotency';

describe('SKILLFLOW_WORKFLOW_CACHE', () => {
  it('keeps 50 workflows cached when unset or empty (1,000 open classes then stay under 1 GiB: bench:load)', () => {
    expect(loadSettings({}).workflowCacheSize).toBe(50);
    expect(loadSettings({ SKILLFLOW_WORKFLOW_CACHE: ' ' }).workflowCacheSize).toBe(50);
  });

  it('takes a whole number from 2 to 10,000', () => {
    expect(loadSettings({ SKILLFLOW_WORKFLOW_CACHE: '2' }).workflowCacheSize).toBe(2);
    expect(loadSettings({ SKILLFLOW_WORKFLOW_CACHE: '150' }).workflowCacheSize).toBe(150);
    expect(loadSettings({ SKILLFLOW_WORKFLOW_CACHE: '10000' }).workflowCacheSize).toBe(10_000);
  });

  it.each(['1', '0', '10001', '-5', '1.5', '1e3', 'many'])('refuses %p with the variable named', (value) => {
    expect(() => loadSettings({ SKILLFLOW_WORKFLOW_CACHE: value })).toThrow(
      `SKILLFLOW_WORKFLOW_CACHE must be a whole number from 2 to 10000, not "${value}"`,
    );
  });
});

describe('SKILLFLOW_UPDATE_TIMEOUT_MS', () => {
  it('sets no limit when unset, empty or 0 (a command waits as long as its workflow takes)', () => {
    expect(loadSettings({}).updateTimeoutMs).toBe(0);
    expect(loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: '' }).updateTimeoutMs).toBe(0);
    expect(loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: '0' }).updateTimeoutMs).toBe(0);
  });

  it('takes whole milliseconds from 1,000 to 600,000', () => {
    expect(loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: '1000' }).updateTimeoutMs).toBe(1_000);
    expect(loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: ' 60000 ' }).updateTimeoutMs).toBe(60_000);
    expect(loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: '600000' }).updateTimeoutMs).toBe(600_000);
    // under the Idempotency-Key lease, so a retry is not told the first try is still running
    expect(loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: '60000' }).updateTimeoutMs).toBeLessThan(
      IN_PROGRESS_LEASE_MS,
    );
  });

  it.each(['999', '600001', '-1', '1.5', '3e4', 'soon'])('refuses %p with the variable named', (value) => {
    expect(() => loadSettings({ SKILLFLOW_UPDATE_TIMEOUT_MS: value })).toThrow(
      `SKILLFLOW_UPDATE_TIMEOUT_MS must be 0 or whole milliseconds from 1000 to 600000, not "${value}"`,
    );
  });
});

describe('SKILLFLOW_SIM_BANK_REFUSES', () => {
  it('names no account when unset, and reads a comma-separated list with spaces ignored', () => {
    expect(loadSettings({}).simulatedBankRefuses).toEqual([]);
    expect(
      loadSettings({ SKILLFLOW_SIM_BANK_REFUSES: '1302 0100 0400 0005 678, ,0402000019200001234' })
        .simulatedBankRefuses,
    ).toEqual(['1302010004000005678', '0402000019200001234']);
  });
});
