import { tokenFingerprint } from './token-fingerprint';

describe(tokenFingerprint.name, () => {
  it('should name a token by the first 8 hex digits of its SHA-256, never by itself', () => {
    const fingerprint = tokenFingerprint('ghp_example');

    // sha256("ghp_example") starts with c4855f54.
    expect(fingerprint).toBe('tok_c4855f54');
    expect(fingerprint).not.toContain('example');
    expect(tokenFingerprint('ghp_example')).toBe(fingerprint);
    expect(tokenFingerprint('ghp_other')).not.toBe(fingerprint);
  });

  it.each([undefined, ''])('should call no token (%j) anonymous', (token) => {
    expect(tokenFingerprint(token)).toBe('anonymous');
  });
});
