import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageMetaView, IsCanonicalUuid, TRIMMED_LINE_PATTERN } from '@platform/http';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { TextLength, MaxTextLength } from '@platform/contracts';
import { LIMITS } from '../../common/limits';
import { NormalizeNfc } from '../../common/validators';
import { ENGINEER_PRIVILEGE_NAMES, type EngineerPrivilege } from '../privileges';

export class CreateEngineerDto {
  @ApiProperty({ maxLength: LIMITS.engineerLogin })
  @NormalizeNfc()
  @IsString()
  @TextLength(1, LIMITS.engineerLogin)
  @Matches(TRIMMED_LINE_PATTERN, {
    message: 'login must be one line without white space at either end',
  })
  login!: string;

  @ApiProperty({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax })
  @IsString()
  @TextLength(LIMITS.passwordMin, LIMITS.passwordMax)
  password!: string;
}

export class EngineerPrivilegesDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  id!: string;

  @ApiProperty({ enum: ENGINEER_PRIVILEGE_NAMES, isArray: true })
  @IsArray()
  @ArrayMaxSize(ENGINEER_PRIVILEGE_NAMES.length * 4)
  @IsIn(ENGINEER_PRIVILEGE_NAMES, { each: true })
  privileges!: EngineerPrivilege[];
}

export class AuthCardDto {
  @ApiPropertyOptional({
    nullable: true,
    maxLength: LIMITS.authCardKey,
    description: 'RFID card UID as the reader prints it; null or empty removes the card',
    example: '0xDE 0xAD 0xBE 0xEF',
  })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.authCardKey)
  key?: string | null;
}

export class EngineerView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  login!: string;

  @ApiProperty({
    enum: ENGINEER_PRIVILEGE_NAMES,
    isArray: true,
    description: 'new: not in the seed',
  })
  privileges!: EngineerPrivilege[];
}

export class EngineerPageView extends PageMetaView {
  @ApiProperty({ type: [EngineerView] })
  items!: EngineerView[];
}

/** What a robot learns about the engineer whose card opened it (the seed's shape). */
export class AdminAccessView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  login!: string;
}
