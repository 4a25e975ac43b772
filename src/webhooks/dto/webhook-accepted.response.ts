import { ApiProperty } from '@nestjs/swagger';

/** The answer to a delivery whose signature held. */
export class WebhookAcceptedResponse {
  @ApiProperty({ example: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }) deliveryId: string;
  @ApiProperty({ example: 'push' }) event: string;
  @ApiProperty({
    enum: ['accepted', 'duplicate'],
    description:
      '`accepted`: stored, processed right after this answer; `duplicate`: this delivery id was received before and is not processed again',
  })
  status: 'accepted' | 'duplicate';
}
