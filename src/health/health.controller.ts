import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/decorators/public.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { HealthStatusDto } from './health-status.dto.js';
import { Readiness } from './readiness.js';

/** Probes for load balancers and orchestrators; public and cheap. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is running' })
  @ApiOkResponse({ type: HealthStatusDto })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'The service can serve requests (the database answers)' })
  @ApiOkResponse({ type: HealthStatusDto })
  @ApiProblems(503)
  async ready(): Promise<HealthStatusDto> {
    if (this.readiness.isDraining) throw new ServiceUnavailableException('The service is shutting down');
    try {
      await this.health.check([() => this.database.pingCheck('database', { timeout: 1000 })]);
      return { status: 'ok' };
    } catch {
      throw new ServiceUnavailableException('The database is not answering');
    }
  }
}
