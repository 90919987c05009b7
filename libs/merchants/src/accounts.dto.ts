import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { Role, ROLES } from '@gongxiao/core';
import { MemberResponseDto } from './merchants.dto';

export class ChangeMemberRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  currentPassword!: string;

  @ApiProperty({ minLength: 10, description: 'At least 10 characters, not a common password, not containing your email.' })
  @IsString()
  @Length(1, 200)
  newPassword!: string;
}

export class RequestPasswordResetDto {
  @ApiProperty({ example: 'owner@sunrise.example' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(200)
  email!: string;
}

export class ConfirmPasswordResetDto {
  @ApiProperty({ description: 'The reset token (gxr_…)' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({ minLength: 10, description: 'At least 10 characters, not a common password, not containing your email.' })
  @IsString()
  @Length(1, 200)
  newPassword!: string;
}

export class PasswordResetIssuedDto {
  @ApiProperty({ description: 'One-time reset token: hand it to the member, who sets a new password with POST /v1/auth/password-reset/confirm. Shown only here.' })
  token!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: MemberResponseDto }) member!: MemberResponseDto;
}

export class SessionsRevokedDto {
  @ApiProperty({ description: 'How many live login tokens were revoked' }) revoked!: number;
}

export class AcceptedDto {
  @ApiProperty({ example: true }) accepted!: boolean;
}
