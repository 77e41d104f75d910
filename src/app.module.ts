import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from './auth/auth.module.js';
import { ChangesModule } from './changes/changes.module.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import { appConfig } from './config/app.config.js';
import { authConfig } from './config/auth.config.js';
import { changesConfig } from './config/changes.config.js';
import { databaseConfig } from './config/database.config.js';
import { envValidationSchema } from './config/env.validation.js';
import { identityProvidersConfig } from './config/identity-providers.config.js';
import { listsConfig } from './config/lists.config.js';
import { jwtConfig } from './config/jwt.config.js';
import { limitsConfig } from './config/limits.config.js';
import { redisConfig } from './config/redis.config.js';
import { webhooksConfig } from './config/webhooks.config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { ListsModule } from './lists/lists.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { UsersModule } from './users/users.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [
        appConfig,
        databaseConfig,
        jwtConfig,
        authConfig,
        redisConfig,
        identityProvidersConfig,
        limitsConfig,
        listsConfig,
        changesConfig,
        webhooksConfig,
      ],
      validationSchema: envValidationSchema,
    }),
    LoggingModule,
    // Routes are matched in the order their modules come: the task routes, most of the traffic, first.
    TasksModule,
    PlatformModule.forRoot({ imports: [AuthModule], authentication: JwtAuthGuard }),
    DatabaseModule,
    AuthModule,
    UsersModule,
    ListsModule,
    ChangesModule,
    WebhooksModule,
    HealthModule,
  ],
})
export class AppModule {}
