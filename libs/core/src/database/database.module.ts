import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ormOptions, replicaOptions } from './orm-config';
import { ReadReplica } from './read-replica';

/** One MikroORM per process; each context registers its own entities with forFeature. */
@Global()
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      driver: PostgreSqlDriver,
      inject: [AppConfig],
      // The api registers the request context itself (installRequestContext, a fastify hook); the worker needs none.
      useFactory: (config: AppConfig) => ({
        ...ormOptions(config.DATABASE_URL, { pool: { min: 0, max: config.DATABASE_POOL_MAX }, ...replicaOptions(config.DATABASE_READ_URL) }),
        autoLoadEntities: true,
        registerRequestContext: false,
      }),
    }),
  ],
  providers: [ReadReplica],
  exports: [ReadReplica],
})
export class DatabaseModule {}
