import { describe, expect, it } from 'vitest';
import { screensFor } from './navigation-store';
import { scanWorkflowFor } from './scan-store';

describe('navigation by role', () => {
  it('shows each role the screens it may use, in the order of their Alt+number shortcuts', () => {
    expect(screensFor('officer')).toEqual(['registration', 'border', 'search', 'status']);
    expect(screensFor('supervisor')).toEqual(['registration', 'border', 'search', 'shift', 'status']);
    expect(screensFor('admin')).toEqual(['registration', 'border', 'search', 'shift', 'settings', 'status']);
    expect(screensFor(null)).toEqual([]);
  });
});

describe('where a scanned document goes', () => {
  it('stays in the workflow on screen', () => {
    expect(scanWorkflowFor('registration', 'border-crossing')).toBe('registration');
    expect(scanWorkflowFor('border', 'police-station')).toBe('border');
  });

  it("opens the station's own workflow from any other screen", () => {
    for (const screen of ['search', 'shift', 'status'] as const) {
      expect(scanWorkflowFor(screen, 'border-crossing')).toBe('border');
      expect(scanWorkflowFor(screen, 'police-station')).toBe('registration');
      // Before the stations list is pulled the counter registration is the safe default: it records nothing about a crossing.
      expect(scanWorkflowFor(screen, null)).toBe('registration');
    }
  });

  it('goes nowhere while IT staff test a reader in the settings', () => {
    expect(scanWorkflowFor('settings', 'border-crossing')).toBeNull();
  });
});
