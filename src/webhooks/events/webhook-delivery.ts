/** One delivery as GitHub sent it: what applying its event reads (the store adds its attempts). */
export interface WebhookDelivery {
  id: string;
  event: string;
  action: string | null;
  payload: string;
  receivedAt: Date;
}
