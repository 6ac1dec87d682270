import { type DynamicModule, Module } from '@nestjs/common';
import { httpProbe, PlatformCoreModule } from '@platform/runtime';
import { FaceConfig } from './config/service.config';
import { databaseDefinition } from './database/database-definition';
import { FaceModelsProbe } from './faces/face-engine';
import { FacesModule } from './faces/faces.module';

@Module({})
export class AppModule {
  static forRoot(config: FaceConfig): DynamicModule {
    // Readiness covers ChromaDB and the models loaded in the workers.
    const modelsProbe = new FaceModelsProbe();
    return {
      module: AppModule,
      imports: [
        PlatformCoreModule.forRoot({
          config,
          configClass: FaceConfig,
          database: databaseDefinition,
          extraProbes: () => [
            httpProbe('chromadb', `${config.chromaUrl}/api/v2/heartbeat`),
            modelsProbe,
          ],
          providers: [{ provide: FaceModelsProbe, useValue: modelsProbe }],
        }),
        FacesModule,
      ],
    };
  }
}
