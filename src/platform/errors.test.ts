import { describe, expect, it } from 'vitest';
import { AppError, ERROR_STATUS, fromDbError, invalid } from './errors.js';
import { money, sumMoney } from './money.js';

describe('AppError', () => {
  it('maps every code to a 4xx, except internal', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      if (code === 'internal') expect(status).toBe(500);
      else expect(status >= 400 && status < 500, code).toBe(true);
    }
  });

  it('renders the one error body, with field details when given', () => {
    expect(invalid('email', 'not an email').toBody()).toEqual({
      error: { code: 'validation_failed', message: 'email: not an email', details: [{ path: 'email', message: 'not an email' }] },
    });
    expect(new AppError('not_found', 'Lead not found').toBody()).toEqual({ error: { code: 'not_found', message: 'Lead not found' } });
  });

  it('turns database constraint and data errors into 4xx, and leaves the rest alone', () => {
    expect(fromDbError({ code: '23505', constraint: 'teams_workspace_id_name_key' })?.status).toBe(409);
    expect(fromDbError({ code: '23503' })?.status).toBe(400);
    expect(fromDbError({ code: '22P02', message: 'invalid input syntax for type uuid' })?.status).toBe(400);
    expect(fromDbError({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' })?.status).toBe(400);
    expect(fromDbError({ code: '42601' })).toBeUndefined();
    expect(fromDbError(new Error('boom'))).toBeUndefined();
  });
});

describe('money', () => {
  it('is a two-decimal string rounded half-even once', () => {
    expect(money('12')).toBe('12.00');
    expect(money('0.125')).toBe('0.12');
    expect(money('0.135')).toBe('0.14');
    expect(money('-2.5')).toBe('-2.50');
    expect(sumMoney(['0.10', '0.20', '0.30'])).toBe('0.60');
    expect(sumMoney([])).toBe('0.00');
  });
});
