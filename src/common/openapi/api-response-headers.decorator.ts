import { ApiExtension } from '@nestjs/swagger';
import type { ResponseHeaderName } from './response-headers.js';

export const RESPONSE_HEADERS_EXTENSION = 'x-response-headers';

/**
 * Response headers a route sends on success (e.g. `ETag`). The success
 * response itself is inferred by the Swagger plugin from the return type;
 * `finalizeDocument` attaches these headers to it and drops the marker.
 */
export const ApiResponseHeaders = (...names: ResponseHeaderName[]): MethodDecorator =>
  ApiExtension(RESPONSE_HEADERS_EXTENSION, names);
