import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { NoticeEventMessage, PermanentFailure, Subjects } from '@sne/messaging';
import { FanOutService } from './fan-out.service';

@Controller()
export class DispatcherController {
  constructor(private readonly fanOut: FanOutService) {}

  @EventPattern(Subjects.noticeEvents)
  async onNoticeEvent(@Payload() event: NoticeEventMessage): Promise<void> {
    if (event?.type !== 'notice.published' || typeof event.noticeId !== 'string') {
      throw new PermanentFailure(`unknown notice event ${JSON.stringify(event?.type)}`);
    }
    await this.fanOut.noticePublished(event.noticeId);
  }
}
