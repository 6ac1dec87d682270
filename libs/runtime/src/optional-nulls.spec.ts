import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { dropOptionalNulls } from './optional-nulls';

class SeatDto {
  @IsInt()
  place!: number | null;

  @IsOptional()
  @IsString()
  note?: string | null;
}

class BookingDto {
  @IsOptional()
  @IsString()
  name?: string | null;

  @ValidateNested({ each: true })
  @Type(() => SeatDto)
  seats!: SeatDto[];

  /** Free-form: its nulls are data. */
  extra!: Record<string, unknown>;
}

describe('dropOptionalNulls', () => {
  it('deletes the nulls of optional properties, down through nested DTOs, and nothing else', () => {
    const booking = Object.assign(new BookingDto(), {
      name: null,
      seats: [Object.assign(new SeatDto(), { place: null, note: null })],
      extra: { note: null },
    });
    dropOptionalNulls(booking);
    expect(booking).not.toHaveProperty('name');
    expect(booking.seats[0]).toEqual({ place: null });
    expect(booking.extra).toEqual({ note: null });
  });
});
