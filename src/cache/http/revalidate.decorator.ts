import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { wantsRevalidation } from './conditional-request';

/** `true` when the client sent `Cache-Control: no-cache` (or `max-age=0`): revalidate upstream now. */
export const Revalidate = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  wantsRevalidation(context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>().headers),
);
