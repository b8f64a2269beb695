import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';

describe('the Content-Security-Policy', () => {
  it('allows no inline script and no eval', () => {
    const policy = contentSecurityPolicy();
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('allows connections only to the app, and to the origins named', () => {
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
    expect(contentSecurityPolicy(['ws://127.0.0.1:8420'])).toContain("connect-src 'self' ws://127.0.0.1:8420;");
  });
});
