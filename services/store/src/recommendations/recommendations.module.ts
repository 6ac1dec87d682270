import { Module } from '@nestjs/common';
import { StoresModule } from '../stores/stores.module';
import { RecommendationQueries } from './recommendation-queries';
import { RECOMMENDATION_LOOKUP, RecommendationsService } from './recommendations.service';

@Module({
  imports: [StoresModule],
  providers: [
    RecommendationsService,
    { provide: RECOMMENDATION_LOOKUP, useClass: RecommendationQueries },
  ],
  exports: [RecommendationsService],
})
export class RecommendationsModule {}
