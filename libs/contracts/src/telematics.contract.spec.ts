import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  TELEMATICS_EVENTS,
  TELEMATICS_POSITION_BATCH_MAX,
  TelematicsPositionBatch,
} from './telematics.contract';

const position = {
  imei: '352093081234567',
  deviceId: '0b3f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f',
  eventTime: '2026-05-01T10:00:00.000Z',
  recordIndex: 42,
  latitude: 55.7,
  longitude: 37.6,
  speedKmh: 12.5,
  course: 90,
  altitudeM: 150,
  valid: true,
  satellites: 9,
};

function problemsOf(plain: object): string[] {
  return validateSync(plainToInstance(TelematicsPositionBatch, plain)).map((e) => e.property);
}

describe('telematics.position', () => {
  it('is named after the service that publishes it', () => {
    expect(TELEMATICS_EVENTS.position).toBe('telematics.position');
  });

  it.each([
    [{ positions: [position] }, []],
    [{ positions: [{ ...position, latitude: null, longitude: null, valid: null }] }, []],
    [{ positions: [] }, ['positions']],
    [{ positions: [{ ...position, latitude: 91 }] }, ['positions']],
    [{ positions: [{ ...position, eventTime: 'yesterday' }] }, ['positions']],
    [{ positions: [{ ...position, recordIndex: -2 }] }, ['positions']],
    [
      { positions: Array.from({ length: TELEMATICS_POSITION_BATCH_MAX + 1 }, () => position) },
      ['positions'],
    ],
  ])('a batch %#', (plain, problems) => {
    expect(problemsOf(plain)).toEqual(problems);
  });
});
