import { BadRequestException } from '@nestjs/common';

/** A 400 `malformed-request` problem: the body could not be parsed at all. */
export class MalformedRequestException extends BadRequestException {}
