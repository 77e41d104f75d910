import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_FILTER, APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { appConfig } from '../config/app.config.js';
import { RequestBodyInterceptor } from './body/request-body.interceptor.js';
import { PROBLEM_TYPE_BASE, ProblemDetailsFilter } from './problems/problem-details.filter.js';

/**
 * The platform's part inside Nest: the one problem filter (every error
 * leaves as problem+json), the body reader (after every guard), and the
 * answer to unknown paths outside the global prefix. Its part outside Nest
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
    { provide: APP_INTERCEPTOR, useClass: RequestBodyInterceptor },
  ],
})
export class PlatformModule implements OnApplicationBootstrap {
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
