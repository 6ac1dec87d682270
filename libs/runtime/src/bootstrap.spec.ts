import 'reflect-metadata';
import { Type } from 'class-transformer';
import { MaxTextLength } from '@platform/contracts';
import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { validationMessages } from './bootstrap';

class Seat {
  @IsInt()
  @Min(1)
  place!: number;
}

class Booking {
  @IsString()
  @MaxTextLength(5)
  name!: string;

  @ValidateNested()
  @Type(() => Seat)
  seat!: Seat;
}

describe('validationMessages', () => {
  it('names the nested field of every failed constraint', () => {
    const booking = Object.assign(new Booking(), {
      name: 'far too long',
      seat: Object.assign(new Seat(), { place: 0 }),
    });
    expect(validationMessages(validateSync(booking))).toEqual([
      'name must be a string of at most 5 characters',
      'seat.place must not be less than 1',
    ]);
  });
});
