import { hashTicketCode, newTicketCode } from './ticket-code';

describe('ticket codes', () => {
  it('are 256-bit base64url secrets, different every time', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newTicketCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('are stored as their SHA-256', () => {
    expect(hashTicketCode('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
