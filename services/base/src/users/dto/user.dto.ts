import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FACE_IMAGE_MAX_LENGTH, TextLength } from '@platform/contracts';
import { IsBase64, IsOptional, IsString } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { PageMetaView, IsCanonicalUuid, IsDisplayName } from '@platform/http';

export class CreateUserDto {
  @IsDisplayName(LIMITS.userName, { description: 'Full name; need not be unique' })
  name!: string;

  @ApiPropertyOptional({
    nullable: true,
    minLength: 1,
    maxLength: FACE_IMAGE_MAX_LENGTH,
    description: 'Base64 image of the face to enrol (null or absent: none)',
  })
  @IsOptional()
  @IsString()
  @TextLength(1, FACE_IMAGE_MAX_LENGTH)
  @IsBase64()
  face?: string | null;
}

export class UserFaceDto {
  @ApiProperty({
    minLength: 1,
    maxLength: FACE_IMAGE_MAX_LENGTH,
    description: 'Base64 image of the face',
  })
  @IsString()
  @TextLength(1, FACE_IMAGE_MAX_LENGTH)
  @IsBase64()
  face!: string;
}

export class UserFaceQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  user_id!: string;
}

/** The seed's user shape. */
export class UserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class UserPageView extends PageMetaView {
  @ApiProperty({ type: [UserView] })
  items!: UserView[];
}

/** A Keycloak account (its `sub`) linked to a users row; the seed's `{k_id, user_id}`. */
export class KeycloakLinkDto {
  @ApiProperty({ maxLength: 255, description: 'Keycloak user id (the token `sub`)' })
  @IsString()
  @TextLength(1, 255)
  k_id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  user_id!: string;
}
