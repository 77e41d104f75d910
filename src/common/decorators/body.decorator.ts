import { Body as NestBody, type PipeTransform, type Type } from '@nestjs/common';

export const TAKES_BODY_KEY = 'takesBody';

/**
 * Nest's `@Body()`, which also marks its route as one that reads a body. A
 * route without it takes none: any field sent to it is unknown (`400`). Use
 * it instead of Nest's (the lint rule `no-restricted-imports` says so): a
 * route with Nest's own would refuse every field.
 */
export function Body(...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  const body = NestBody(...pipes);
  return (target, key, index) => {
    body(target, key, index);
    if (key !== undefined)
      Reflect.defineMetadata(TAKES_BODY_KEY, true, (target as Record<string | symbol, object>)[key]);
  };
}
