import {
  type CanActivate,
  type DynamicModule,
  Module,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { appConfig } from '../config/app.config.js';
import { RequestBodyGuard } from './body/request-body.guard.js';
import { PROBLEM_TYPE_BASE, ProblemDetailsFilter } from './problems/problem-details.filter.js';

interface PlatformOptions {
  /** The global guard that authenticates every request (a route opts out its own way), run first. */
  authentication: Type<CanActivate>;
  /** The modules that provide it. */
  imports: ModuleMetadata['imports'];
}

/**
 * The platform's part inside Nest, its pipeline declared here in its order:
 * authentication first, then the body (read only once the caller is
 * authenticated, so an anonymous body is never read), then the route's own
 * guards; every error leaves through the one problem filter, and unknown
 * paths outside the global prefix are answered too. Its part outside Nest
 * (security headers, CORS, request ids, the HTTP parser's errors) is
 * `installPlatform`. Feature modules know neither: they throw exceptions and
 * take `@Body()`.
 */
@Module({
  providers: [
    {
      provide: PROBLEM_TYPE_BASE,
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) => config.problemTypeBase,
    },
    ProblemDetailsFilter,
    { provide: APP_FILTER, useExisting: ProblemDetailsFilter },
  ],
})
export class PlatformModule implements OnApplicationBootstrap {
  /** Global guards run in the order they are registered, before a route's own: these two, in this order. */
  static forRoot({ authentication, imports }: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports,
      providers: [
        { provide: APP_GUARD, useExisting: authentication },
        { provide: APP_GUARD, useClass: RequestBodyGuard },
      ],
    };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly problems: ProblemDetailsFilter,
  ) {}

  /**
   * Nest answers unknown paths under the global prefix only, so `/anything-else`
   * would get Express's HTML page. Mounted here, once every route and Nest's own
   * handlers are in place, the same 404 (or 405) answers them everywhere else.
   */
  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    adapter?.use((request: Request, response: Response) => this.problems.notFound(request, response));
  }
}
