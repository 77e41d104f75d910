import { describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Public } from '../decorators/public.decorator.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

@Controller()
class SampleController {
  @Public()
  @Get('open')
  open(): void {}

  @Get('closed')
  closed(): void {}
}

@Public()
@Controller()
class PublicController {
  @Get()
  anything(): void {}
}

function contextFor(controller: new () => object, handler: string) {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
  const request = { headers: {} };
  const context = new ExecutionContextHost(
    [request, response, () => undefined],
    controller,
    (controller.prototype as Record<string, () => void>)[handler],
  );
  context.setType('http');
  return { context, headers };
}

describe(JwtAuthGuard.name, () => {
  const guard = new JwtAuthGuard(new Reflector());

  it('lets a @Public() handler through without a token', async () => {
    await expect(guard.canActivate(contextFor(SampleController, 'open').context)).resolves.toBe(true);
  });

  it('lets every handler of a @Public() controller through', async () => {
    await expect(guard.canActivate(contextFor(PublicController, 'anything').context)).resolves.toBe(true);
  });

  it('fails closed on a route without the decorator, marking the response no-store', async () => {
    const { context, headers } = contextFor(SampleController, 'closed');
    await expect(guard.canActivate(context)).rejects.toThrow();
    expect(headers['Cache-Control']).toBe('no-store');
  });
});
