import { describe, expect, it } from 'vitest';
import { boardFits } from './board-match.js';

describe('board fit', () => {
  const c7v2 = ['tplink,archer-c7-v2', 'TP-Link Archer C7 v2'];
  it('uses the board name when both sides have one', () => {
    expect(boardFits(c7v2, { boardName: 'tplink,archer-c7-v2', model: '' })).toBe(true);
    expect(boardFits(c7v2, { boardName: 'tplink,archer-c7-v5', model: 'TP-Link Archer C7 v2' })).toBe(false);
  });
  it('falls back to the model for devices or images without board names', () => {
    expect(boardFits(c7v2, { boardName: '', model: 'TP-Link Archer C7 v2' })).toBe(true);
    expect(boardFits(['CWAP1200'], { boardName: 'acme,cwap', model: 'CWAP1200' })).toBe(true);
    expect(boardFits(['CWAP1200'], { boardName: '', model: '' })).toBe(false);
  });
});
