import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsDateString, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { Permission, PERMISSIONS, Role, ROLES } from '@gongxiao/core';

export class SignUpDto {
  @ApiProperty({ example: 'Yiwu Sunrise Factory' })
  @IsString()
  @Length(1, 120)
  merchantName!: string;

  @ApiProperty({ example: 'Li Wei' })
  @IsString()
  @Length(1, 80)
  ownerName!: string;

  @ApiProperty({ example: 'owner@sunrise.example' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(200)
  email!: string;

  @ApiProperty({ minLength: 10, example: 'correct horse battery' })
  @IsString()
  @Length(10, 200, { message: 'password must be 10 to 200 characters long' })
  password!: string;
}

export class LoginDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class CreateMemberDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(200)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 80)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ minLength: 10, description: 'Initial password; the member logs in with it.' })
  @IsString()
  @Length(10, 200, { message: 'password must be 10 to 200 characters long' })
  password!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ERP integration' })
  @IsString()
  @Length(1, 80)
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['fulfillment:read', 'fulfillment:write'] })
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true })
  scopes!: Permission[];

  @ApiPropertyOptional({ description: 'When the key stops working (ISO-8601, in the future); never when left out.', example: '2027-06-30T00:00:00+08:00' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an ISO-8601 timestamp' })
  expiresAt?: string;
}

export class MerchantResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class MemberResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() status!: string;
  @ApiProperty() createdAt!: string;
}

export class SessionResponseDto {
  @ApiProperty({ description: 'Bearer token; send as "Authorization: Bearer <token>".' }) token!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: MerchantResponseDto }) merchant!: MerchantResponseDto;
  @ApiProperty({ type: MemberResponseDto }) member!: MemberResponseDto;
}

/** Who the caller is: what the console needs to show only what the member's role allows (the api still decides). */
export class CurrentSessionResponseDto {
  @ApiProperty({ type: MerchantResponseDto }) merchant!: MerchantResponseDto;
  @ApiPropertyOptional({ type: MemberResponseDto, nullable: true, description: 'The member; null when the caller is an API key.' }) member!: MemberResponseDto | null;
  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: "What the caller may do (the member's role, or the key's scopes)." }) permissions!: Permission[];
  @ApiProperty({ example: 'Asia/Shanghai', description: "The merchant's time zone (its settlement settings): dates and months are shown in it." }) timeZone!: string;
}

export class ApiKeyResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First characters of the key' }) prefix!: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) scopes!: Permission[];
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) lastUsedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) revokedAt!: string | null;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'The secret key. Shown only in this response: store it now.' })
  key!: string;
}
