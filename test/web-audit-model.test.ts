import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_GROUPS } from '../web/src/components/audit/model.js';
import { AUDIT_ACTIONS } from '../src/modules/audit/audit-actions.js';

/** The audit page's action filter sends values the server's filter matches (audit.service.ts `parseAction`). */
describe("the audit page's action groups", () => {
  it('filters a group of one action by that action: "logout." would match nothing', () => {
    expect(AUDIT_ACTION_GROUPS.find((group) => group.name === 'logout')).toEqual({
      name: 'logout',
      actions: ['logout'],
      filter: 'logout',
    });
  });

  it('filters a group of several actions by its prefix, which matches exactly its actions', () => {
    const device = AUDIT_ACTION_GROUPS.find((group) => group.name === 'device')!;
    expect(device.filter).toBe('device.');
    expect(device.actions).toEqual(AUDIT_ACTIONS.filter((action) => action.startsWith('device.')));
  });

  it('every group filter selects at least one action of the server', () => {
    for (const group of AUDIT_ACTION_GROUPS) {
      const matched = AUDIT_ACTIONS.filter((action) =>
        group.filter.endsWith('.') ? action.startsWith(group.filter) : action === group.filter,
      );
      expect(matched, group.name).toEqual(group.actions);
    }
  });
});
