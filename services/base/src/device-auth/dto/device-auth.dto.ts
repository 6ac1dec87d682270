import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { DEVICE_KINDS, type DeviceKind, MAX_PUBLIC_KEY_PEM_BYTES } from '@platform/device-auth';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { TextLength, MaxTextLength } from '@platform/contracts';
import { LIMITS } from '../../common/limits';
import { NormalizeNfc } from '../../common/validators';
import {
  PageQueryDto,
  PageMetaView,
  IsCanonicalUuid,
  IsDisplayName,
  TRIMMED_LINE_PATTERN,
} from '@platform/http';

/** Longer keys are refused by the lib with PUBLIC_KEY_TOO_LARGE; this only bounds the body. */
const PUBLIC_KEY_MAX = MAX_PUBLIC_KEY_PEM_BYTES * 2;
/** Base64 of an RSA-4096 signature is 684 characters; a little slack, then the lib says no. */
const SIGNATURE_MAX = 2048;
/** A challenge answer is 100 characters; anything up to this is simply a wrong answer. */
const ANSWER_MAX = 1024;
const DEVICE_NAME_MAX = 60;

/** ENG-BODY: the engineer who provisions the device, and the device's public key. */
class EngineerCredentialsDto {
  @ApiProperty({ maxLength: LIMITS.engineerLogin, description: 'Engineer login' })
  @NormalizeNfc()
  @IsString()
  @MaxTextLength(LIMITS.engineerLogin)
  login!: string;

  @ApiProperty({ maxLength: LIMITS.passwordMax, description: 'Engineer password' })
  @IsString()
  @MaxTextLength(LIMITS.passwordMax)
  password!: string;

  @ApiProperty({
    description:
      'The device public key, PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"): RSA 2048-4096 ' +
      'bits with exponent 65537, or Ed25519 (signature mode only)',
  })
  @IsString()
  @MaxTextLength(PUBLIC_KEY_MAX)
  public_key!: string;
}

/** What names a robot: its serial and its model name. */
class RobotIdentityDto {
  @ApiProperty({ maxLength: DEVICE_NAME_MAX, description: "The robot's serial, unique per robot" })
  @IsString()
  @TextLength(1, DEVICE_NAME_MAX)
  @Matches(TRIMMED_LINE_PATTERN, {
    message: 'robot_model_id must be one line without white space at either end',
  })
  robot_model_id!: string;

  @ApiProperty({ example: 'TestRobot:0.1.0:001' })
  @IsDisplayName(DEVICE_NAME_MAX)
  robot_model_name!: string;
}

export class RobotRegistrationDto extends IntersectionType(
  EngineerCredentialsDto,
  RobotIdentityDto,
) {}

export class StoreRegistrationDto extends EngineerCredentialsDto {
  @ApiProperty({ format: 'uuid', description: 'The store this terminal acts for' })
  @IsCanonicalUuid()
  store_id!: string;
}

export class LockerRegistrationDto extends EngineerCredentialsDto {
  @ApiProperty({ format: 'uuid', description: 'The locker this controller drives' })
  @IsCanonicalUuid()
  locker_id!: string;
}

export class RobotView {
  @ApiProperty({ format: 'uuid', description: 'The device id to log in with' })
  id!: string;

  @ApiProperty()
  robot_model_id!: string;

  @ApiProperty()
  robot_model_name!: string;
}

export class StoreDeviceView {
  @ApiProperty({ format: 'uuid', description: 'The store id, which is the device id' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  store_id!: string;

  @ApiPropertyOptional({ description: 'From the store service, when it answers' })
  name?: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional()
  logo_url?: string;

  @ApiPropertyOptional({ enum: ['SHOP', 'RESTAURANT'] })
  store_type?: string;
}

export class LockerDeviceView {
  @ApiProperty({ format: 'uuid', description: 'The locker id, which is the device id' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  locker_id!: string;
}

export class DeviceIdDto {
  @ApiProperty({ format: 'uuid', description: 'The device id' })
  @IsCanonicalUuid()
  id!: string;
}

export class ChallengeAnswerDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  request_id!: string;

  @ApiProperty({ description: 'The decrypted challenge (100 characters)' })
  @IsString()
  @MaxTextLength(ANSWER_MAX)
  data!: string;
}

export class SignatureAnswerDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  request_id!: string;

  @ApiProperty({
    description:
      'Base64 signature of `platform-device-login:v1\\n<kind>\\n<id>\\n<request_id>\\n<nonce>`',
  })
  @IsString()
  @MaxTextLength(SIGNATURE_MAX)
  signature!: string;
}

export class ChallengeResponseView {
  @ApiProperty({ format: 'uuid' })
  request_id!: string;

  @ApiProperty({ description: 'Base64 RSA-OAEP (SHA-256) ciphertext of the challenge' })
  data!: string;
}

export class NonceResponseView {
  @ApiProperty({ format: 'uuid' })
  request_id!: string;

  @ApiProperty({ description: '32 random bytes, base64url' })
  nonce!: string;
}

export class TokenResponseView {
  @ApiProperty({ description: 'Device session token: send as `Authorization: Bearer <token>`' })
  token!: string;
}

export class DeviceSessionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: DEVICE_KINDS })
  kind!: string;

  @ApiProperty({ format: 'uuid' })
  session_id!: string;

  @ApiProperty({ type: 'integer', description: 'Device privilege bits; 0: none are defined yet' })
  privileges!: number;
}

export class DeviceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DEVICE_KINDS })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: DeviceKind;
}

export class PublicKeyDto {
  @ApiProperty({ description: 'The public key, PEM SubjectPublicKeyInfo' })
  @IsString()
  @MaxTextLength(PUBLIC_KEY_MAX)
  public_key!: string;
}

/** A robot of the system we replace, taken over under its id with the key it already holds. */
export class RobotAdoptionDto extends IntersectionType(RobotIdentityDto, PublicKeyDto) {}

export class DeviceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: DEVICE_KINDS })
  kind!: string;

  @ApiProperty({ description: 'robot_model_id, store_id or locker_id' })
  external_id!: string;

  @ApiProperty({ nullable: true, type: String, description: 'robot_model_name' })
  name!: string | null;

  @ApiProperty({ enum: ['rsa', 'ed25519'] })
  key_algorithm!: string;

  @ApiProperty({ description: 'SHA-256 of the DER public key, base64url' })
  key_fingerprint!: string;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  disabled_at!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  key_rotated_at!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  registered_by_engineer_id!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class DevicePageView extends PageMetaView {
  @ApiProperty({ type: [DeviceView] })
  items!: DeviceView[];
}

export class RobotPageView extends PageMetaView {
  @ApiProperty({ type: [RobotView] })
  items!: RobotView[];
}
