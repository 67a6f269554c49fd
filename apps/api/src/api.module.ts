import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuthController } from './auth/auth.controller';
import { SessionsService } from './auth/sessions.service';
import { rateLimits } from './common/rate-limits';
import { CoreDeps, CoreModule, HealthModule } from '@sne/core';
import { AckPagesController } from './ack-pages/ack-pages.controller';
import { AcknowledgmentsController } from './acknowledgments/acknowledgments.controller';
import { AcknowledgmentsService } from './acknowledgments/acknowledgments.service';
import { AgenciesController } from './agencies/agencies.controller';
import { AgenciesService } from './agencies/agencies.service';
import { ApiKeysController, ApiKeysService } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuditVerifyController } from './audit/audit-verify.controller';
import { ApiKeyGuard } from './common/api-key.guard';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HealthController } from './health/health.controller';
import { MetricsService } from './health/metrics.service';
import { MailboxController } from './mailbox/mailbox.controller';
import { NoticesController } from './notices/notices.controller';
import { NoticesService } from './notices/notices.service';
import { DeidGuard } from './notices/deid-guard.service';
import { NoticeReviewController } from './notices/notice-review.controller';
import { NoticeReviewService } from './notices/notice-review.service';
import { PreferencesController } from './users/preferences.controller';
import { ConsoleReviewController } from './console/console-review.controller';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsService } from './subscriptions/subscriptions.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { TopicsController, TopicsService } from './topics/topics.controller';
import { TrackingService } from './tracking/tracking.service';
import { DeliveryRetryService } from './tracking/delivery-retry.service';
import { DeliveriesController } from './tracking/deliveries.controller';
import { ReportsController } from './reports/reports.controller';
import { SuperviseController } from './supervise/supervise.controller';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { SuperviseService } from './supervise/supervise.service';
import { RecipientTimelineService } from './supervise/recipient-timeline.service';
import { ReportsService } from './reports/reports.service';
import { LiveController } from './live/live.controller';
import { LiveFeedService } from './live/live-feed.service';
import { AuditListener } from './live/audit-listener.service';
import { LiveAccessTokenModule } from './live/access-token.module';
import { ConsoleController } from './console/console.controller';
import { ConsoleNoticeEditorController } from './console/console-notice-editor.controller';
import { ConsoleNoticesController } from './console/console-notices.controller';
import { ConsoleDashboardController } from './console/console-dashboard.controller';
import { ConsoleSubscriptionsController } from './console/console-subscriptions.controller';
import { ConsoleAdminController } from './console/console-admin.controller';
import { ConsoleAdminUsersController } from './console/console-admin-users.controller';
import { ConsoleAccountSessionsController } from './console/console-account-sessions.controller';
import { ConsoleAdminCatalogueController } from './console/console-admin-catalogue.controller';
import { ConsoleAdminListsController } from './console/console-admin-lists.controller';
import { ConsoleAuditController } from './console/console-audit.controller';
import { AuditSearchService } from './audit/audit-search.service';
import { ConsoleSuperviseController } from './console/console-supervise.controller';
import { ConsoleEnquiriesController } from './console/console-enquiries.controller';
import { ConsoleViews } from './console/console.views';
import { ConsolePages } from './console/console-page';
import { ConsoleNoticePage } from './console/console-notice-page';
import { OneTimeSlots } from './console/one-time-slot';
import { ConsoleExceptionFilter } from './console/console.filter';
import { ConsoleBodyModule } from './console/console-body.module';
import { ConsoleAttachmentsController } from './console/console-attachments.controller';
import { ConsolePrintController } from './console/console-print.controller';
import { AttachmentBodyModule } from './attachments/attachment-body.module';
import { DataSharingController } from './reporting/data-sharing.controller';
import { DataSharingService } from './reporting/data-sharing.service';
import { ReportingController } from './reporting/reporting.controller';
import { ReportingService } from './reporting/reporting.service';
import { ConsoleReportingController } from './console/console-reporting.controller';
import { AttachmentLinksController, AttachmentsController } from './attachments/attachments.controller';
import { AttachmentScanning, AttachmentsService } from './attachments/attachments.service';
import { ReviewImportBodyModule } from './review-import/review-import-body.module';
import { ReviewImportController } from './review-import/review-import.controller';
import { ReviewImportService } from './review-import/review-import.service';
import { ConsoleReviewImportController } from './console/console-review-import.controller';
import { SurveysController } from './surveys/surveys.controller';
import { SurveysService } from './surveys/surveys.service';
import { SurveyMailer } from './surveys/survey-mail';
import { SurveyPagesController } from './surveys/survey-pages.controller';
import { SurveyResponsesService } from './surveys/survey-responses.service';
import { ConsoleSurveysController } from './console/console-surveys.controller';
import { ConsoleSurveyWaveController } from './console/console-survey-wave.controller';
import { SurveyResultsController } from './survey-results/survey-results.controller';
import { SurveyResultsService } from './survey-results/survey-results.service';
import { ConsoleSurveyResultsController } from './survey-results/console-survey-results.controller';
import { CultureComparisonController } from './culture-comparison/culture-comparison.controller';
import { CultureComparisonService } from './culture-comparison/culture-comparison.service';
import { ConsoleCultureController } from './culture-comparison/console-culture.controller';
import { ReviewsController, SharedReviewsController } from './reviews/reviews.controller';
import { ReviewsService } from './reviews/reviews.service';
import { ReviewLifecycleService } from './reviews/review-lifecycle.service';
import { SharedReviewsService } from './reviews/shared-reviews.service';
import { ConsoleReviewsController } from './console/console-reviews.controller';
import { ConsoleReviewFormController } from './console/console-review-form.controller';
import { ReviewNoticesController } from './review-notices/review-notices.controller';
import { ReviewNoticesService } from './review-notices/review-notices.service';
import { ConsoleReviewNoticesController } from './console/console-review-notices.controller';

@Module({})
export class ApiModule {
  static with(deps: CoreDeps): DynamicModule {
    return {
      module: ApiModule,
      imports: [CoreModule.forRoot(deps), HealthModule.forRoot(), ThrottlerModule.forRoot(rateLimits(deps.config)), LiveAccessTokenModule, ConsoleBodyModule, AttachmentBodyModule, ReviewImportBodyModule],
      controllers: [
        AuthController,
        AgenciesController,
        UsersController,
        ApiKeysController,
        TopicsController,
        NoticesController,
        SubscriptionsController,
        AcknowledgmentsController,
        DeliveriesController,
        AuditController,
        AuditVerifyController,
        AckPagesController,
        MailboxController,
        HealthController,
        ReportsController,
        SuperviseController,
        InboxController,
        LiveController,
        ConsoleController,
        ConsoleNoticeEditorController,
        ConsoleNoticesController,
        ConsoleDashboardController,
        ConsoleSubscriptionsController,
        ConsoleAdminListsController,
        ConsoleAuditController,
        ConsoleAdminController,
        ConsoleAdminUsersController,
        ConsoleAccountSessionsController,
        ConsoleAdminCatalogueController,
        ConsoleSuperviseController,
        ConsoleEnquiriesController,
        // issue 10, review workflow
        NoticeReviewController,
        PreferencesController,
        ConsoleReviewController,
        AttachmentsController,
        AttachmentLinksController,
        ConsoleAttachmentsController,
        ConsolePrintController,
        // issue 11, import: keep these before any controller with /reviews/:id routes, so "import" is never taken for an id
        ReviewImportController,
        ConsoleReviewImportController,
        // issue 12, survey collection
        SurveysController,
        SurveyPagesController,
        ConsoleSurveysController,
        ConsoleSurveyWaveController,
        // issue 12, survey results and the culture comparison
        SurveyResultsController,
        ConsoleSurveyResultsController,
        CultureComparisonController,
        ConsoleCultureController,
        // issue 11, reviews
        ReviewsController,
        SharedReviewsController,
        ConsoleReviewFormController,
        ConsoleReviewsController,
        // issue 11, review to notice
        ReviewNoticesController,
        ConsoleReviewNoticesController,
        // issue 11, reporting
        DataSharingController,
        ReportingController,
        ConsoleReportingController,
      ],
      providers: [
        // Limits first, so failed authentication is limited too; then who is calling.
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        SessionsService,
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        AgenciesService,
        UsersService,
        ApiKeysService,
        TopicsService,
        NoticesService,
        DeidGuard,
        NoticeReviewService,
        SubscriptionsService,
        AcknowledgmentsService,
        TrackingService,
        SuperviseService,
        InboxService,
        RecipientTimelineService,
        DeliveryRetryService,
        MetricsService,
        ReportsService,
        AuditListener,
        LiveFeedService,
        AuditSearchService,
        ConsoleViews,
        ConsolePages,
        ConsoleNoticePage,
        OneTimeSlots,
        ConsoleExceptionFilter,
        AttachmentsService,
        AttachmentScanning,
        ReviewImportService,
        SurveysService,
        SurveyMailer,
        SurveyResponsesService,
        SurveyResultsService,
        CultureComparisonService,
        // issue 11, reviews
        ReviewsService,
        ReviewLifecycleService,
        SharedReviewsService,
        ReviewNoticesService,
        // issue 11, reporting
        DataSharingService,
        ReportingService,
      ],
    };
  }
}
