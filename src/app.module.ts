import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { PROBLEM_TYPE_BASE, ProblemDetailsFilter } from './common/filters/problem-details.filter.js';
import { appConfig } from './config/app.config.js';
import { authConfig } from './config/auth.config.js';
import { databaseConfig } from './config/database.config.js';
import { envValidationSchema } from './config/env.validation.js';
import { identityProvidersConfig } from './config/identity-providers.config.js';
import { listsConfig } from './config/lists.config.js';
import { jwtConfig } from './config/jwt.config.js';
import { redisConfig } from './config/redis.config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { ListsModule } from './lists/lists.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [appConfig, databaseConfig, jwtConfig, authConfig, redisConfig, identityProvidersConfig, listsConfig],
      validationSchema: envValidationSchema,
    }),
    LoggingModule,
    DatabaseModule,
    AuthModule,
    UsersModule,
    ListsModule,
    TasksModule,
    HealthModule,
  ],
  providers: [
    {
      provide: PROBLEM_TYPE_BASE,
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) => config.problemTypeBase,
    },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
